using BicycleGan.Checkpoints;
using SkiaSharp;

namespace BicycleGan.Reports;

/// <summary>
/// <c>losses.png</c>: one small panel per loss (its curve over steps, with its range), so terms
/// of very different scales (G_L1 ≈ 1…10, kl ≈ 0.01) stay readable side by side.
/// </summary>
public static class LossPlot
{
    private const int PanelWidth = 320;
    private const int PanelHeight = 160;
    private const int Columns = 4;
    private const int Margin = 28;

    /// <param name="steps">The logged steps, ascending.</param>
    /// <param name="series">Per loss name, one value per logged step.</param>
    public static void Save(string path, IReadOnlyList<long> steps, IReadOnlyDictionary<string, List<double>> series)
    {
        var names = series.Keys.ToList();
        int rows = Math.Max(1, (names.Count + Columns - 1) / Columns);
        using var surface = SKSurface.Create(new SKImageInfo(Columns * PanelWidth, rows * PanelHeight));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsAntialias = true };
        using var line = new SKPaint
        {
            Color = new SKColor(0x1f, 0x77, 0xb4), StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke,
        };
        using var font = new SKFont { Size = 12 };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int i = 0; i < names.Count; i++)
        {
            float left = i % Columns * PanelWidth + Margin, top = i / Columns * PanelHeight + Margin / 2f;
            float width = PanelWidth - 1.5f * Margin, height = PanelHeight - 1.5f * Margin;
            var values = series[names[i]];
            double min = values.Count == 0 ? 0 : values.Where(double.IsFinite).DefaultIfEmpty(0).Min();
            double max = values.Count == 0 ? 1 : values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
            if (max - min < 1e-12) max = min + 1;
            canvas.DrawLine(left, top + height, left + width, top + height, axis);
            canvas.DrawLine(left, top, left, top + height, axis);
            canvas.DrawText($"{names[i]}  [{min:G3} … {max:G3}]", left + 4, top + 12, font, text);
            if (steps.Count < 2) continue;
            double firstStep = steps[0], span = Math.Max(1, steps[^1] - steps[0]);
            using var pathShape = new SKPath();
            for (int k = 0; k < values.Count && k < steps.Count; k++)
            {
                if (!double.IsFinite(values[k])) continue;
                float x = left + (float)((steps[k] - firstStep) / span * width);
                float y = top + height - (float)((values[k] - min) / (max - min) * (height - 16));
                if (pathShape.IsEmpty) pathShape.MoveTo(x, y);
                else pathShape.LineTo(x, y);
            }
            canvas.DrawPath(pathShape, line);
            canvas.DrawText($"step {steps[^1]}", left + width - 70, top + height + 14, font, text);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, png.ToArray());
    }
}
