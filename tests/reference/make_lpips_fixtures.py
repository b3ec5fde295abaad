#!/usr/bin/python3
"""Makes the fixtures that the Evaluation tests compare against.

Run with Debian's PyTorch 1.13 and numpy (/usr/bin/python3); torchvision is not needed. The
files are committed, so the tests need no Python; rerun this only to change them:

    /usr/bin/python3 tests/reference/make_lpips_fixtures.py

LPIPS (Zhang et al. 2018) is written here from the paper's description: AlexNet's five
convolutions with their ReLUs and max pools, features tapped after each ReLU, unit-normalised
over channels, squared differences weighted per channel by a 1x1 convolution (lin0..lin4),
averaged over space and summed over layers. v0.1 first maps the [-1, 1] input through the
ScalingLayer, (x - shift) / scale; v0.0 feeds it unscaled. The trunk here is NARROW (8, 16,
24, 16, 16 channels instead of 64, 192, 384, 256, 256) so the weight files stay a few kB;
kernel sizes, strides, paddings and pools are AlexNet's, and the C# side reads the widths from
the weight shapes, so the full-size public files go through the same code.

SSIM and PSNR are computed in numpy, float64, independently of the C# code: an 11x11 Gaussian
window (sigma 1.5), 'valid' filtering (only where the window fits), C1 = (0.01 L)^2,
C2 = (0.03 L)^2 with L = 1, SSIM averaged over the map and then over channels.
"""
import collections
import pathlib

import numpy as np
import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parents[1] / "BicycleGan.Tests" / "Fixtures" / "evaluation"
WIDTHS = (8, 16, 24, 16, 16)
SHIFT = torch.tensor([-0.030, -0.088, -0.188]).view(1, 3, 1, 1)
SCALE = torch.tensor([0.458, 0.448, 0.450]).view(1, 3, 1, 1)


class Trunk(nn.Module):
    """torchvision's AlexNet `features` layout, so the keys are features.0.weight ..."""

    def __init__(self, widths):
        super().__init__()
        c1, c2, c3, c4, c5 = widths
        self.features = nn.Sequential(
            nn.Conv2d(3, c1, 11, stride=4, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(c1, c2, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(),
            nn.Conv2d(c3, c4, 3, padding=1), nn.ReLU(),
            nn.Conv2d(c4, c5, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(3, 2))

    def taps(self, x):
        """The outputs of the ReLUs at indices 1, 4, 7, 9 and 11 (the last pool is unused)."""
        out = []
        for index, layer in enumerate(self.features[:12]):
            x = layer(x)
            if index in (1, 4, 7, 9, 11):
                out.append(x)
        return out


class Head(nn.Module):
    """One linear head: model.0 is a (parameter-free) dropout, model.1 the 1x1 convolution."""

    def __init__(self, channels):
        super().__init__()
        self.model = nn.Sequential(nn.Dropout(), nn.Conv2d(channels, 1, 1, bias=False))


class Heads(nn.Module):
    def __init__(self, widths):
        super().__init__()
        for k, width in enumerate(widths):
            setattr(self, f"lin{k}", Head(width))

    def layer(self, k):
        return getattr(self, f"lin{k}").model[1]


def unit(features, eps=1e-10):
    return features / (features.pow(2).sum(dim=1, keepdim=True).sqrt() + eps)


def lpips(trunk, heads, x0, x1, version):
    if version == "0.1":
        x0, x1 = (x0 - SHIFT) / SCALE, (x1 - SHIFT) / SCALE
    total = 0
    for k, (f0, f1) in enumerate(zip(trunk.taps(x0), trunk.taps(x1))):
        weighted = heads.layer(k)((unit(f0) - unit(f1)) ** 2)
        total = total + weighted.mean(dim=(2, 3))
    return total.view(-1)


def image_pairs(generator, n, height, width):
    """Pairs from far apart to identical: random, a noisy copy, a shifted copy, the same."""
    a = torch.rand(n, 3, height, width, generator=generator) * 2 - 1
    b = torch.rand(n, 3, height, width, generator=generator) * 2 - 1
    noise = torch.randn(n, 3, height, width, generator=generator) * 0.1
    b[1] = (a[1] + noise[1]).clamp(-1, 1)
    if n > 2:
        b[2] = torch.roll(a[2], shifts=3, dims=2)
    if n > 3:
        b[3] = a[3]
    return a, b


def gaussian_window(size=11, sigma=1.5):
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-(x ** 2) / (2 * sigma ** 2))
    g /= g.sum()
    return np.outer(g, g)


def filter_valid(image, window):
    views = np.lib.stride_tricks.sliding_window_view(image, window.shape)
    return np.einsum("ijkl,kl->ij", views, window)


def ssim(x, y):
    """Mean SSIM of two C x H x W arrays in [0, 1]."""
    window = gaussian_window()
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    values = []
    for xc, yc in zip(x, y):
        mx, my = filter_valid(xc, window), filter_valid(yc, window)
        vx = filter_valid(xc * xc, window) - mx * mx
        vy = filter_valid(yc * yc, window) - my * my
        cxy = filter_valid(xc * yc, window) - mx * my
        ssim_map = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        values.append(ssim_map.mean())
    return float(np.mean(values))


def psnr(x, y):
    return float(10 * np.log10(1.0 / np.mean((x - y) ** 2)))


def make_lpips(generator):
    torch.manual_seed(20171204)
    trunk = Trunk(WIDTHS)
    heads = Heads(WIDTHS)
    with torch.no_grad():
        for k in range(len(WIDTHS)):
            # LPIPS keeps its learned head weights non-negative.
            heads.layer(k).weight.uniform_(0, 0.5)
    trunk.eval()
    heads.eval()

    trunk_dict = collections.OrderedDict(trunk.state_dict())
    # torchvision's alexnet files also hold the classifier, which LPIPS does not use.
    trunk_dict["classifier.1.weight"] = torch.randn(4, 6, generator=generator)
    trunk_dict["classifier.1.bias"] = torch.randn(4, generator=generator)
    torch.save(trunk_dict, OUT / "alexnet_narrow.pth")
    for version in ("0.0", "0.1"):
        folder = OUT / f"v{version}"
        folder.mkdir(exist_ok=True)
        torch.save(heads.state_dict(), folder / "alex.pth")

    # The lpips package's own module layout: slices of the trunk that keep torchvision's indices.
    combined = collections.OrderedDict()
    combined["scaling_layer.shift"] = SHIFT.clone()
    combined["scaling_layer.scale"] = SCALE.clone()
    slices = {0: 1, 3: 2, 6: 3, 8: 4, 10: 5}
    for key, value in trunk.state_dict().items():
        index = int(key.split(".")[1])
        combined[f"net.slice{slices[index]}.{key[len('features.'):]}"] = value
    combined.update(heads.state_dict())
    torch.save(combined, OUT / "lpips_v0.1_alex_combined.pth")

    cases = collections.OrderedDict()
    with torch.no_grad():
        for name, (n, height, width) in {"square": (4, 32, 32), "wide": (2, 48, 64)}.items():
            a, b = image_pairs(generator, n, height, width)
            cases[f"{name}.in0"] = a
            cases[f"{name}.in1"] = b
            for version in ("0.0", "0.1"):
                cases[f"{name}.v{version}"] = lpips(trunk, heads, a, b, version)
                print(name, f"v{version}", cases[f"{name}.v{version}"].tolist())
    torch.save(cases, OUT / "lpips_cases.pth")


def make_ssim(generator):
    x = torch.rand(3, 3, 24, 20, generator=generator, dtype=torch.float64)
    y = torch.rand(3, 3, 24, 20, generator=generator, dtype=torch.float64)
    y[1] = (x[1] + torch.randn(3, 24, 20, generator=generator, dtype=torch.float64) * 0.05).clamp(0, 1)
    y[2] = (x[2] * 0.8 + 0.1)
    xs, ys = x.numpy(), y.numpy()
    cases = collections.OrderedDict()
    cases["x"] = x
    cases["y"] = y
    cases["ssim"] = torch.tensor([ssim(a, b) for a, b in zip(xs, ys)], dtype=torch.float64)
    cases["psnr"] = torch.tensor([psnr(a, b) for a, b in zip(xs, ys)], dtype=torch.float64)
    cases["l1"] = torch.tensor([float(np.abs(a - b).mean()) for a, b in zip(xs, ys)],
                               dtype=torch.float64)
    print("ssim", cases["ssim"].tolist(), "psnr", cases["psnr"].tolist())
    torch.save(cases, OUT / "ssim_cases.pth")


def main():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(2018)
    make_lpips(generator)
    make_ssim(generator)


if __name__ == "__main__":
    main()
