"""
A small PyTorch reference of BicycleGAN, written from /work/shared/REFERENCE.md, whose only job
is to produce the golden fixtures the TorchSharp port is tested against:

  /usr/bin/python3 tests/reference/bicyclegan_reference.py make-fixtures \
      tests/BicycleGan.Tests/Fixtures

Networks keep the official state_dict key layout (nn.Sequential indices; parameter-free layers
still take an index), so key lists and weights line up with official checkpoints.
"""

import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

# -----------------------------------------------------------------------------
# layer helpers


def norm_layers(kind, channels):
    # a list, so that norm 'none' simply drops the layer and later indices shift
    if kind == 'instance':
        return [nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)]
    if kind == 'batch':
        return [nn.BatchNorm2d(channels)]
    if kind == 'none':
        return []
    raise ValueError(f"unknown norm '{kind}'; use instance, batch or none")


def nl_layer(kind):
    # decoder non-linearity of the U-Net; the encoder side is always LeakyReLU(0.2)
    if kind == 'relu':
        return nn.ReLU()
    if kind == 'lrelu':
        return nn.LeakyReLU(0.2)
    if kind == 'elu':
        return nn.ELU()
    raise ValueError(f"unknown nl '{kind}'; use relu, lrelu or elu")


def upconv_layers(kind, cin, cout):
    # doubles H and W; 'bilinear' takes three indices, which moves the conv from up.1 to up.3
    if kind == 'basic':
        return [nn.ConvTranspose2d(cin, cout, 4, 2, 1)]
    if kind == 'bilinear':
        return [nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False),
                nn.ReflectionPad2d(1),
                nn.Conv2d(cin, cout, 3, 1, 0)]
    raise ValueError(f"unknown upsample '{kind}'; use basic or bilinear")


def tile(z, like):
    # (N, nz) -> (N, nz, H, W) at the spatial size of `like`
    return z[:, :, None, None].expand(-1, -1, like.size(2), like.size(3))

# -----------------------------------------------------------------------------
# U-Net generator


class UnetBlockAll(nn.Module):
    """One U-Net level for where_add='all': z joins this level's input before its down-conv."""

    def __init__(self, in_nc, outer_nc, inner_nc, nz, submodule, outermost, innermost,
                 norm, nl, upsample, dropout):
        super().__init__()
        self.outermost, self.innermost = outermost, innermost
        conv = nn.Conv2d(in_nc + nz, inner_nc, 4, 2, 1)
        if outermost:
            down = [conv]
            up = [nl_layer(nl)] + upconv_layers(upsample, 2 * inner_nc, outer_nc) + [nn.Tanh()]
        elif innermost:
            # nothing is concatenated at the bottom, so the up-conv sees inner_nc channels
            down = [nn.LeakyReLU(0.2), conv]
            up = [nl_layer(nl)] + upconv_layers(upsample, inner_nc, outer_nc)
            up += norm_layers(norm, outer_nc)
        else:
            down = [nn.LeakyReLU(0.2), conv] + norm_layers(norm, inner_nc)
            up = [nl_layer(nl)] + upconv_layers(upsample, 2 * inner_nc, outer_nc)
            up += norm_layers(norm, outer_nc) + ([nn.Dropout(0.5)] if dropout else [])
        # registration order down, submodule, up is the official state_dict order
        self.down = nn.Sequential(*down)
        self.submodule = submodule
        self.up = nn.Sequential(*up)

    def forward(self, x, z):
        h = self.down(torch.cat([x, tile(z, x)], 1))
        if not self.innermost:
            h = self.submodule(h, z)
        h = self.up(h)
        # the skip carries this level's input without z
        return h if self.outermost else torch.cat([h, x], 1)


class UnetBlockInput(nn.Module):
    """One U-Net level for where_add='input': a single Sequential with the submodule inside."""

    def __init__(self, in_nc, outer_nc, inner_nc, submodule, outermost, innermost,
                 norm, nl, upsample, dropout):
        super().__init__()
        self.outermost = outermost
        conv = nn.Conv2d(in_nc, inner_nc, 4, 2, 1)
        if outermost:
            layers = [conv, submodule, nl_layer(nl)]
            layers += upconv_layers(upsample, 2 * inner_nc, outer_nc) + [nn.Tanh()]
        elif innermost:
            layers = [nn.LeakyReLU(0.2), conv, nl_layer(nl)]
            layers += upconv_layers(upsample, inner_nc, outer_nc) + norm_layers(norm, outer_nc)
        else:
            layers = [nn.LeakyReLU(0.2), conv] + norm_layers(norm, inner_nc)
            layers += [submodule, nl_layer(nl)] + upconv_layers(upsample, 2 * inner_nc, outer_nc)
            layers += norm_layers(norm, outer_nc) + ([nn.Dropout(0.5)] if dropout else [])
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        # The official block opens with an in-place LeakyReLU, so its skip carries LeakyReLU(x),
        # not x. Official where_add='input' weights were trained that way; we reproduce it.
        h = self.model(x)
        return h if self.outermost else torch.cat([h, F.leaky_relu(x, 0.2)], 1)


class UnetGenerator(nn.Module):
    """G(A, z): U-Net with num_downs levels; depth d = 0 is the outermost."""

    def __init__(self, input_nc, output_nc, nz, num_downs, ngf=64, norm='instance', nl='relu',
                 upsample='basic', where_add='all', use_dropout=False):
        super().__init__()
        if where_add not in ('all', 'input'):
            raise ValueError(f"unknown where_add '{where_add}'; use all or input")
        self.where_add = where_add
        block = None
        # build from the innermost level outwards, each wrapping the previous one
        for d in reversed(range(num_downs)):
            inner = ngf * min(2 ** d, 8)
            outer = output_nc if d == 0 else ngf * min(2 ** (d - 1), 8)
            in_nc = input_nc if d == 0 else outer
            kind = dict(outermost=d == 0, innermost=d == num_downs - 1, norm=norm, nl=nl,
                        upsample=upsample, dropout=use_dropout and 4 <= d <= num_downs - 2)
            if where_add == 'all':
                block = UnetBlockAll(in_nc, outer, inner, nz, block, **kind)
            else:
                block = UnetBlockInput(in_nc + (nz if d == 0 else 0), outer, inner, block, **kind)
        self.model = block

    def forward(self, x, z):
        if self.where_add == 'all':
            return self.model(x, z)
        return self.model(torch.cat([x, tile(z, x)], 1))

# -----------------------------------------------------------------------------
# encoders: both return (mu, logvar), each (N, nz)


class BasicBlock(nn.Module):
    """Pre-activation residual block that halves H and W and maps cin -> cout channels."""

    def __init__(self, cin, cout, norm):
        super().__init__()
        layers = norm_layers(norm, cin) + [nn.LeakyReLU(0.2), nn.Conv2d(cin, cin, 3, 1, 1)]
        layers += norm_layers(norm, cin) + [nn.LeakyReLU(0.2)]
        layers += [nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1), nn.AvgPool2d(2))]
        self.conv = nn.Sequential(*layers)
        self.shortcut = nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(cin, cout, 1))
        self.in_place_quirk = norm == 'none'

    def forward(self, x):
        h = self.conv(x)
        # Without a norm the official block opens with an in-place LeakyReLU that rewrites x
        # before the shortcut reads it; reproduce what the official weights were trained with.
        if self.in_place_quirk:
            x = F.leaky_relu(x, 0.2)
        return h + self.shortcut(x)


class ResnetEncoder(nn.Module):
    def __init__(self, input_nc, nz, nef=64, n_blocks=5, norm='instance'):
        super().__init__()
        layers = [nn.Conv2d(input_nc, nef, 4, 2, 1)]
        for n in range(1, n_blocks):
            layers.append(BasicBlock(nef * min(4, n), nef * min(4, n + 1), norm))
        # a global pool; the official AvgPool2d(8) is the same thing on its 8x8 map at 256 px
        layers += [nn.LeakyReLU(0.2), nn.AdaptiveAvgPool2d(1)]
        c = nef * min(4, n_blocks)
        # the official module registers the heads first, so they lead its state_dict
        self.fc = nn.Sequential(nn.Linear(c, nz))
        self.fcVar = nn.Sequential(nn.Linear(c, nz))
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        h = self.conv(x).flatten(1)
        return self.fc(h), self.fcVar(h)


class ConvEncoder(nn.Module):
    def __init__(self, input_nc, nz, nef=64, n_layers=4, norm='instance'):
        super().__init__()
        layers = [nn.Conv2d(input_nc, nef, 4, 2, 1), nn.LeakyReLU(0.2)]
        for n in range(1, n_layers):
            cin, cout = nef * min(2 ** (n - 1), 4), nef * min(2 ** n, 4)
            layers += [nn.Conv2d(cin, cout, 4, 2, 1)] + norm_layers(norm, cout)
            layers += [nn.LeakyReLU(0.2)]
        layers += [nn.AdaptiveAvgPool2d(1)]
        c = nef * min(2 ** (n_layers - 1), 4)
        self.conv = nn.Sequential(*layers)
        self.fc = nn.Sequential(nn.Linear(c, nz))
        self.fcVar = nn.Sequential(nn.Linear(c, nz))

    def forward(self, x):
        h = self.conv(x).flatten(1)
        return self.fc(h), self.fcVar(h)

# -----------------------------------------------------------------------------
# PatchGAN discriminator, optionally multi-scale


def patch_layers(input_nc, ndf, n_layers, norm):
    layers = [nn.Conv2d(input_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]
    mult = 1
    for n in range(1, n_layers):
        prev, mult = mult, min(2 ** n, 8)
        layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, 2, 1)] + norm_layers(norm, ndf * mult)
        layers += [nn.LeakyReLU(0.2)]
    # two stride-1 convs: each trims one pixel per side (4x4 kernel, padding 1)
    prev, mult = mult, min(2 ** n_layers, 8)
    layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, 1, 1)] + norm_layers(norm, ndf * mult)
    layers += [nn.LeakyReLU(0.2), nn.Conv2d(ndf * mult, 1, 4, 1, 1)]
    return nn.Sequential(*layers)


class PatchDiscriminator(nn.Module):
    """Returns a list of patch maps (logits, no sigmoid), one per scale, finest first."""

    def __init__(self, input_nc, ndf=64, n_layers=3, norm='instance', num_D=2):
        super().__init__()
        self.num_D = num_D
        if num_D == 1:
            self.model = patch_layers(input_nc, ndf, n_layers, norm)
            return
        # scale i sees the image pooled i times, with round(ndf / 2^i) filters
        for i in range(num_D):
            layers = patch_layers(input_nc, round(ndf / 2 ** i), n_layers, norm)
            self.add_module(f'model_{i}', layers)
        self.down = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)

    def forward(self, x):
        if self.num_D == 1:
            return [self.model(x)]
        maps = []
        for i in range(self.num_D):
            maps.append(getattr(self, f'model_{i}')(x))
            if i < self.num_D - 1:
                x = self.down(x)
        return maps

# -----------------------------------------------------------------------------
# the seed article's small 64x64 nets (our own definition)


class SmallGenerator(nn.Module):
    """4 strided convs down to 4x4, 4 transposed convs back up; z tiled onto the input only."""

    def __init__(self, input_nc, output_nc, nz, ngf=64, norm='instance'):
        super().__init__()
        n = lambda c: norm_layers(norm, c)
        layers = [nn.Conv2d(input_nc + nz, ngf, 4, 2, 1), nn.LeakyReLU(0.2)]
        for cin, cout in [(ngf, 2 * ngf), (2 * ngf, 4 * ngf), (4 * ngf, 8 * ngf)]:
            layers += [nn.Conv2d(cin, cout, 4, 2, 1)] + n(cout) + [nn.LeakyReLU(0.2)]
        for cin, cout in [(8 * ngf, 4 * ngf), (4 * ngf, 2 * ngf), (2 * ngf, ngf)]:
            layers += [nn.ConvTranspose2d(cin, cout, 4, 2, 1)] + n(cout) + [nn.ReLU()]
        layers += [nn.ConvTranspose2d(ngf, output_nc, 4, 2, 1), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x, z):
        return self.model(torch.cat([x, tile(z, x)], 1))


class SmallEncoder(nn.Module):
    """4 strided convs to an (8nef, 4, 4) map at 64 px, flattened in NCHW order."""

    def __init__(self, input_nc, nz, nef=64, norm='instance'):
        super().__init__()
        layers = [nn.Conv2d(input_nc, nef, 4, 2, 1), nn.LeakyReLU(0.2)]
        for cin, cout in [(nef, 2 * nef), (2 * nef, 4 * nef), (4 * nef, 8 * nef)]:
            layers += [nn.Conv2d(cin, cout, 4, 2, 1)] + norm_layers(norm, cout)
            layers += [nn.LeakyReLU(0.2)]
        self.conv = nn.Sequential(*layers)
        self.fc = nn.Sequential(nn.Linear(8 * nef * 16, nz))
        self.fcVar = nn.Sequential(nn.Linear(8 * nef * 16, nz))

    def forward(self, x):
        h = self.conv(x).flatten(1)
        return self.fc(h), self.fcVar(h)

# -----------------------------------------------------------------------------
# one BicycleGAN training step (REFERENCE.md section 2)


def gan_loss(maps, is_real, mode):
    # sum over scales of the mean over each patch map
    loss = 0.0
    for p in maps:
        target = torch.ones_like(p) if is_real else torch.zeros_like(p)
        if mode == 'lsgan':
            loss = loss + F.mse_loss(p, target)
        elif mode == 'vanilla':
            loss = loss + F.binary_cross_entropy_with_logits(p, target)
        else:
            raise ValueError(f"unknown gan_mode '{mode}'; use lsgan or vanilla")
    return loss


def set_requires_grad(nets, flag):
    for net in nets:
        for p in net.parameters():
            p.requires_grad_(flag)


def d_loss_backward(D, real, fake, mode):
    # fake was made before G's step; detach so D's loss never reaches G
    loss = gan_loss(D(fake.detach()), False, mode) + gan_loss(D(real), True, mode)
    loss.backward()
    return loss


def train_step(G, E, D, D2, opt, A, B, eps, z_random, cfg):
    """One step: G+E update, then D (and D2) update. eps, z_random: (N/2, nz), given not drawn."""
    lam = cfg['lambda']
    mode = cfg['gan_mode']
    D2 = D if cfg['use_same_D'] else D2
    half = A.size(0) // 2

    # forward: the first half is encoded, the second half only serves as D2's real
    real_A_enc, real_B_enc = A[:half], B[:half]
    real_A_rand, real_B_rand = A[half:], B[half:]
    mu, logvar = E(real_B_enc)
    z_encoded = mu + eps * torch.exp(0.5 * logvar)
    fake_B_encoded = G(real_A_enc, z_encoded)
    fake_B_random = G(real_A_enc, z_random)  # both fakes from the first half's A
    if cfg['conditional_D']:
        fake_enc = torch.cat([real_A_enc, fake_B_encoded], 1)
        real_enc = torch.cat([real_A_enc, real_B_enc], 1)
        fake_rand = torch.cat([real_A_enc, fake_B_random], 1)
        real_rand = torch.cat([real_A_rand, real_B_rand], 1)
    else:
        fake_enc, real_enc = fake_B_encoded, real_B_enc
        fake_rand, real_rand = fake_B_random, real_B_rand
    mu2, _ = E(fake_B_random)  # the point estimate, not a sample

    # G+E update with the discriminators frozen
    set_requires_grad([D, D2], False)
    opt['E'].zero_grad()
    opt['G'].zero_grad()
    loss = {}
    loss['G_GAN'] = lam['GAN'] * gan_loss(D(fake_enc), True, mode)
    loss['G_GAN2'] = lam['GAN2'] * gan_loss(D2(fake_rand), True, mode)
    loss['G_L1'] = lam['L1'] * F.l1_loss(fake_B_encoded, real_B_enc)
    # kl = -1/2 * lambda * sum(1 + logvar - mu^2 - exp(logvar)), over batch and latent dims
    loss['kl'] = -0.5 * lam['kl'] * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    (loss['G_GAN'] + loss['G_GAN2'] + loss['G_L1'] + loss['kl']).backward(retain_graph=True)

    # latent regression: its gradient passes through E into G, but E's own parameters are
    # frozen, so their AccumulateGrad nodes skip it and E is never updated by z_L1
    e_grads = [p.grad.clone() for p in E.parameters()]
    set_requires_grad([E], False)
    loss['z_L1'] = lam['z'] * F.l1_loss(mu2, z_random)
    loss['z_L1'].backward()
    set_requires_grad([E], True)
    assert all(torch.equal(g, p.grad) for g, p in zip(e_grads, E.parameters()))
    grads = {'G': grads_of(G), 'E': grads_of(E)}
    opt['E'].step()
    opt['G'].step()

    # D update on the fakes made before G's step; D loss = fake + real, no 1/2
    set_requires_grad([D, D2], True)
    opt['D'].zero_grad()
    loss['D'] = d_loss_backward(D, real_enc, fake_enc, mode)
    if cfg['use_same_D']:
        loss['D2'] = d_loss_backward(D, real_rand, fake_rand, mode)
    grads['D'] = grads_of(D)
    opt['D'].step()
    if not cfg['use_same_D']:
        opt['D2'].zero_grad()
        loss['D2'] = d_loss_backward(D2, real_rand, fake_rand, mode)
        grads['D2'] = grads_of(D2)
        opt['D2'].step()

    seen = dict(z_encoded=z_encoded, mu=mu, logvar=logvar, fake_B_encoded=fake_B_encoded,
                fake_B_random=fake_B_random, mu2=mu2)
    return loss, seen, grads


def grads_of(net):
    # the gradients each optimizer step consumes
    return {k: p.grad.detach().clone() for k, p in net.named_parameters()}

# -----------------------------------------------------------------------------
# safetensors, written by hand (no safetensors package on this interpreter)


def save_safetensors(path, tensors, metadata):
    """tensors: ordered {name: tensor}, stored as little-endian F32 in insertion order."""
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # data starts 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop('__metadata__')
    out = {}
    for name, h in header.items():
        b, e = h['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[b:e]), dtype=torch.float32).reshape(h['shape'])
    return out, meta

# -----------------------------------------------------------------------------
# fixtures


WEIGHT_STD, BIAS_STD, BN_WEIGHT_STD = 0.2, 0.05, 0.1


def init_weights(net, weight_std=WEIGHT_STD):
    # larger than the official init (xavier, gain 0.02) so outputs are far from zero
    for name, module in net.named_modules():
        for pname, p in module.named_parameters(recurse=False):
            with torch.no_grad():
                if pname == 'bias':
                    p.normal_(0.0, BIAS_STD)
                elif isinstance(module, nn.BatchNorm2d):
                    p.normal_(1.0, BN_WEIGHT_STD)
                else:
                    p.normal_(0.0, weight_std)
    return net


def state(net, prefix):
    return {prefix + k: v.clone() for k, v in net.state_dict().items()}


def uniform(*shape):
    return torch.rand(*shape) * 2 - 1


def meta(config):
    return {'config': json.dumps(config), 'torch': torch.__version__,
            'generator': 'tests/reference/bicyclegan_reference.py'}


def write_key_list(path, net):
    with open(path, 'w') as f:
        for k, v in net.state_dict().items():
            f.write(f"{k}\t{','.join(str(d) for d in v.shape)}\n")


def n_params(net):
    return sum(v.numel() for v in net.state_dict().values())


def check_official_layouts(outdir):
    """Golden key lists of the default configs, checked against REFERENCE.md section 4."""
    os.makedirs(os.path.join(outdir, 'keys'), exist_ok=True)
    sub = lambda k: 'model.' + 'submodule.' * k

    G = UnetGenerator(1, 3, 8, 8, 64, 'instance', 'relu', 'basic', 'all', use_dropout=True)
    sd = G.state_dict()
    assert len(sd) == 32 and n_params(G) == 54_792_579, (len(sd), n_params(G))
    want = {sub(0) + 'down.0.weight': (64, 9, 4, 4), sub(1) + 'down.1.weight': (128, 72, 4, 4),
            sub(2) + 'down.1.weight': (256, 136, 4, 4), sub(3) + 'down.1.weight': (512, 264, 4, 4),
            sub(7) + 'up.1.weight': (512, 512, 4, 4), sub(3) + 'up.1.weight': (1024, 256, 4, 4),
            sub(2) + 'up.1.weight': (512, 128, 4, 4), sub(1) + 'up.1.weight': (256, 64, 4, 4),
            sub(0) + 'up.1.weight': (128, 3, 4, 4)}
    for k in (4, 5, 6, 7):
        want[sub(k) + 'down.1.weight'] = (512, 520, 4, 4)
    for k in (4, 5, 6):
        want[sub(k) + 'up.1.weight'] = (1024, 512, 4, 4)
    for k, shape in want.items():
        assert tuple(sd[k].shape) == shape, (k, sd[k].shape)
    assert list(sd)[0] == sub(0) + 'down.0.weight' and list(sd)[-1] == sub(0) + 'up.1.bias'
    G.eval()
    with torch.no_grad():
        y = G(torch.zeros(1, 1, 256, 256), torch.zeros(1, 8))
    assert y.shape == (1, 3, 256, 256)
    write_key_list(os.path.join(outdir, 'keys', 'G_unet_256_all.txt'), G)

    G = UnetGenerator(3, 3, 8, 8, 64, 'instance', 'relu', 'basic', 'input', use_dropout=True)
    sd = G.state_dict()
    inner = 'model.3.' * 6  # path from depth 1 down to the innermost level (depth 7)
    assert tuple(sd['model.model.0.weight'].shape) == (64, 11, 4, 4)
    assert tuple(sd['model.model.3.weight'].shape) == (128, 3, 4, 4)
    assert tuple(sd['model.model.1.model.1.weight'].shape) == (128, 64, 4, 4)
    assert tuple(sd['model.model.1.model.5.weight'].shape) == (256, 64, 4, 4)
    assert tuple(sd['model.model.1.' + inner + 'model.1.weight'].shape) == (512, 512, 4, 4)
    assert tuple(sd['model.model.1.' + inner + 'model.3.weight'].shape) == (512, 512, 4, 4)
    assert len(sd) == 32
    write_key_list(os.path.join(outdir, 'keys', 'G_unet_256_input.txt'), G)

    E = ResnetEncoder(3, 8, 64, 5, 'instance')
    keys = ['fc.0', 'fcVar.0', 'conv.0']
    for i in range(1, 5):
        keys += [f'conv.{i}.conv.2', f'conv.{i}.conv.5.0', f'conv.{i}.shortcut.1']
    keys = [f'{k}.{w}' for k in keys for w in ('weight', 'bias')]
    sd = E.state_dict()
    assert list(sd) == keys and n_params(E) == 2_590_032, (list(sd), n_params(E))
    assert tuple(sd['fc.0.weight'].shape) == (8, 256)
    assert tuple(sd['conv.0.weight'].shape) == (64, 3, 4, 4)
    for i, (cin, cout) in enumerate([(64, 128), (128, 192), (192, 256), (256, 256)], 1):
        assert tuple(sd[f'conv.{i}.conv.2.weight'].shape) == (cin, cin, 3, 3)
        assert tuple(sd[f'conv.{i}.conv.5.0.weight'].shape) == (cout, cin, 3, 3)
        assert tuple(sd[f'conv.{i}.shortcut.1.weight'].shape) == (cout, cin, 1, 1)
    with torch.no_grad():
        mu, logvar = E(torch.zeros(1, 3, 256, 256))
    assert mu.shape == logvar.shape == (1, 8)
    write_key_list(os.path.join(outdir, 'keys', 'E_resnet_256.txt'), E)

    D = PatchDiscriminator(3, 64, 3, 'instance', num_D=2)
    sd = D.state_dict()
    assert len(sd) == 20 and n_params(D) == 3_458_978, (len(sd), n_params(D))
    for scale, widths in [(0, (64, 128, 256, 512, 1)), (1, (32, 64, 128, 256, 1))]:
        for idx, c in zip((0, 2, 5, 8, 11), widths):
            assert sd[f'model_{scale}.{idx}.weight'].shape[0] == c
    with torch.no_grad():
        maps = D(torch.zeros(1, 3, 256, 256))
    assert [tuple(m.shape) for m in maps] == [(1, 1, 30, 30), (1, 1, 14, 14)]
    write_key_list(os.path.join(outdir, 'keys', 'D_basic_256_multi.txt'), D)


def forward_cases():
    """(file name, config, builder) for the golden forward passes."""
    unet = lambda c: UnetGenerator(c['input_nc'], c['output_nc'], c['nz'], c['num_downs'],
                                   c['ngf'], c['norm'], c['nl'], c['upsample'], c['where_add'],
                                   c['use_dropout'])
    res = lambda c: ResnetEncoder(c['input_nc'], c['nz'], c['nef'], c['n_blocks'], c['norm'])
    conv = lambda c: ConvEncoder(c['input_nc'], c['nz'], c['nef'], c['n_layers'], c['norm'])
    patch = lambda c: PatchDiscriminator(c['input_nc'], c['ndf'], c['n_layers'], c['norm'],
                                         c['num_D'])
    small_g = lambda c: SmallGenerator(c['input_nc'], c['output_nc'], c['nz'], c['ngf'], c['norm'])
    small_e = lambda c: SmallEncoder(c['input_nc'], c['nz'], c['nef'], c['norm'])
    g = dict(net='unet', output_nc=3, ngf=4, use_dropout=False)
    # std 0.2 saturates ~40% of the tanh outputs of these two; 0.1 keeps them informative
    ws = 0.1
    return [
        ('unet_all', dict(g, where_add='all', input_nc=1, nz=8, num_downs=6, norm='instance',
                          nl='relu', upsample='basic', size=64), unet),
        ('unet_input_bilinear', dict(g, where_add='input', input_nc=3, nz=8, num_downs=5,
                                     norm='batch', nl='lrelu', upsample='bilinear', size=32,
                                     weight_std=ws), unet),
        ('unet_all_none_elu', dict(g, where_add='all', input_nc=3, nz=4, num_downs=5, norm='none',
                                   nl='elu', upsample='basic', size=32, weight_std=ws), unet),
        ('resnet_encoder', dict(net='resnet_encoder', input_nc=3, nz=8, nef=4, n_blocks=4,
                                norm='instance', size=64), res),
        ('conv_encoder', dict(net='conv_encoder', input_nc=3, nz=8, nef=4, n_layers=4,
                              norm='batch', size=64), conv),
        ('patch_discriminator_multi', dict(net='patch_discriminator', input_nc=4, ndf=4,
                                           n_layers=3, num_D=2, norm='instance', size=64), patch),
        ('patch_discriminator_single', dict(net='patch_discriminator', input_nc=3, ndf=4,
                                            n_layers=2, num_D=1, norm='batch', size=32), patch),
        ('small_generator', dict(net='small_generator', input_nc=1, output_nc=3, nz=8, ngf=4,
                                 norm='instance', size=64), small_g),
        ('small_encoder', dict(net='small_encoder', input_nc=3, nz=8, nef=4, norm='instance',
                               size=64), small_e),
    ]


def make_forward_case(outdir, seed, name, cfg, build):
    cfg = dict(dict(weight_std=WEIGHT_STD), **cfg, batch=2, seed=seed, bias_std=BIAS_STD,
               bn_weight_std=BN_WEIGHT_STD, train_mode=True)
    torch.manual_seed(seed)
    # train mode: BatchNorm normalises with batch statistics (no case has dropout)
    net = init_weights(build(cfg), cfg['weight_std']).train()
    tensors = state(net, 'param.')
    n, s = cfg['batch'], cfg['size']
    x = uniform(n, cfg['input_nc'], s, s)
    tensors['x'] = x
    with torch.no_grad():
        if cfg['net'] in ('unet', 'small_generator'):
            z = torch.randn(n, cfg['nz'])
            tensors['z'] = z
            tensors['y'] = net(x, z)
        elif cfg['net'] == 'patch_discriminator':
            for i, m in enumerate(net(x)):
                tensors[f'out{i}'] = m
        else:
            tensors['mu'], tensors['logvar'] = net(x)
    save_safetensors(os.path.join(outdir, 'reference', name + '.safetensors'), tensors, meta(cfg))
    return tensors


def step_config(gan_mode, conditional_D, use_same_D):
    cfg = dict(batch=2, size=64, input_nc=1, output_nc=3, nz=8, steps=2, seed=1234,
               gan_mode=gan_mode, conditional_D=conditional_D, use_same_D=use_same_D,
               lr=2e-4, beta1=0.5, beta2=0.999,
               weight_std=WEIGHT_STD, bias_std=BIAS_STD, bn_weight_std=BN_WEIGHT_STD)
    cfg['lambda'] = {'GAN': 1.0, 'GAN2': 1.0, 'L1': 10.0, 'kl': 0.01, 'z': 0.5}
    cfg['G'] = dict(net='unet', where_add='all', ngf=4, num_downs=6, norm='instance', nl='relu',
                    upsample='basic', use_dropout=False)
    cfg['E'] = dict(net='resnet_encoder', nef=4, n_blocks=4, norm='instance')
    # a conditional D judges (A, B) pairs stacked on channels
    d_in = 1 + 3 if conditional_D else 3
    cfg['D'] = dict(net='patch_discriminator', input_nc=d_in, ndf=4, n_layers=3, num_D=2,
                    norm='instance')
    return cfg


def make_step_case(outdir, name, cfg, grad_nets):
    torch.manual_seed(cfg['seed'])
    g, e, d = cfg['G'], cfg['E'], cfg['D']
    nets = {'G': UnetGenerator(cfg['input_nc'], cfg['output_nc'], cfg['nz'], g['num_downs'],
                               g['ngf'], g['norm'], g['nl'], g['upsample'], g['where_add']),
            'E': ResnetEncoder(cfg['output_nc'], cfg['nz'], e['nef'], e['n_blocks'], e['norm'])}
    for k in ('D',) if cfg['use_same_D'] else ('D', 'D2'):
        nets[k] = PatchDiscriminator(d['input_nc'], d['ndf'], d['n_layers'], d['norm'], d['num_D'])
    tensors = {}
    for k, net in nets.items():
        init_weights(net).train()
        tensors.update(state(net, k + '.'))
    betas = (cfg['beta1'], cfg['beta2'])
    opt = {k: torch.optim.Adam(net.parameters(), lr=cfg['lr'], betas=betas)
           for k, net in nets.items()}

    n, s, half = cfg['batch'], cfg['size'], cfg['batch'] // 2
    A, B = uniform(n, cfg['input_nc'], s, s), uniform(n, cfg['output_nc'], s, s)
    tensors['A'], tensors['B'] = A, B
    # E's eps is drawn before z_random, as in the reference
    noise = [(torch.randn(half, cfg['nz']), torch.randn(half, cfg['nz']))
             for _ in range(cfg['steps'])]
    for k, (eps, z_random) in enumerate(noise):
        tensors[f'step{k}.eps'], tensors[f'step{k}.z_random'] = eps, z_random
    for k, (eps, z_random) in enumerate(noise):
        loss, seen, grads = train_step(nets['G'], nets['E'], nets['D'], nets.get('D2'), opt,
                                       A, B, eps, z_random, cfg)
        if k == 0:  # intermediates of the first step, to localise a mismatch
            for t, v in seen.items():
                tensors[f'step0.{t}'] = v.detach().clone()
            for net in grad_nets:
                tensors.update({f'step0.grad.{net}.{p}': g for p, g in grads[net].items()})
        for t in ('G_GAN', 'D', 'G_GAN2', 'D2', 'G_L1', 'z_L1', 'kl'):
            tensors[f'step{k}.loss.{t}'] = loss[t].detach().reshape(1).clone()
    for k, net in nets.items():
        tensors.update(state(net, f'after.{k}.'))
    save_safetensors(os.path.join(outdir, 'reference', name + '.safetensors'), tensors, meta(cfg))
    return tensors


def make_fixtures(outdir):
    torch.set_num_threads(1)  # fixed reduction order, so two runs give identical bytes
    torch.use_deterministic_algorithms(True)
    os.makedirs(os.path.join(outdir, 'reference'), exist_ok=True)
    torch.manual_seed(0)
    check_official_layouts(outdir)
    for i, (name, cfg, build) in enumerate(forward_cases()):
        summarize(name, make_forward_case(outdir, 100 + i, name, cfg, build))
    # step-0 gradients: all nets in the first case; only the shared D (two backwards) in the
    # second, since G's gradients would add 0.5 MB for little new coverage
    steps = [('step_bicycle_lsgan', step_config('lsgan', False, False), ('G', 'E', 'D', 'D2')),
             ('step_bicycle_vanilla_conditional_same_d', step_config('vanilla', True, True),
              ('D',))]
    for name, cfg, grad_nets in steps:
        summarize(name, make_step_case(outdir, name, cfg, grad_nets))


def summarize(name, tensors):
    # a glance at the non-weight tensors: a fixture whose outputs sit at +-1 tests little
    print(name)
    for k, v in tensors.items():
        if k.split('.')[0] in ('param', 'G', 'E', 'D', 'D2', 'after') or '.grad.' in k:
            continue
        std = v.std().item() if v.numel() > 1 else 0.0
        saturated = v.abs().gt(0.99).float().mean().item()
        print(f'  {k:28s} {str(tuple(v.shape)):16s} std {std:6.3f}  |v|>0.99 {saturated:.3f}'
              f'  first {v.flatten()[0].item():+.4f}')


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] != 'make-fixtures':
        sys.exit('usage: bicyclegan_reference.py make-fixtures OUTDIR')
    make_fixtures(sys.argv[2])
