using System.Net;
using System.Text;

namespace BicycleGan.Reports;

/// <summary>
/// The HTML of a sample page: one table, a column per kind of picture (input, ground truth,
/// encoded, random_sample01 …), a row per input. Self-contained: a small inline style, no
/// scripts, fonts or other external resources; every string from outside is HTML-escaped.
/// </summary>
internal static class SamplePageHtml
{
    // Small images are scaled up, without smoothing, so a 32 px sample is still legible.
    private const int MinDisplayWidth = 128;

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
        h1 { font-size: 1.3em; margin: 0 0 .3em; }
        p { margin: 0 0 1em; color: #555; }
        table { border-collapse: collapse; }
        th, td { padding: 4px 6px; vertical-align: top; font-size: 12px; }
        thead th { position: sticky; top: 0; background: #fff; text-align: center; }
        tbody th { text-align: left; font-weight: normal; max-width: 12em; }
        tbody th { overflow-wrap: anywhere; }
        tbody th b { display: block; font-weight: 600; }
        img { display: block; image-rendering: pixelated; background: #ddd; }
        """;

    public static string Build(string title, string description, IReadOnlyList<PageRow> rows)
    {
        var columns = rows.SelectMany(r => r.Cells.Select(c => c.Column)).Distinct().ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(Escape(title)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Escape(title)).Append("</h1>\n")
            .Append("<p>").Append(Escape(description)).Append("</p>\n")
            .Append("<table>\n<thead><tr><th></th>");
        foreach (string column in columns)
            html.Append("<th>").Append(Escape(column)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows) AppendRow(html, row, columns);
        html.Append("</tbody>\n</table>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendRow(StringBuilder html, PageRow row, IReadOnlyList<string> columns)
    {
        html.Append("<tr><th><b>").Append(Escape(row.Name)).Append("</b>")
            .Append(Escape(row.Source));
        if (row.Link is not null)
            html.Append("<br><a href=\"").Append(Escape(row.Link)).Append("\">strip</a>");
        html.Append("</th>");
        foreach (string column in columns)
        {
            var cell = row.Cells.FirstOrDefault(c => c.Column == column);
            html.Append("<td>");
            if (cell is not null)
            {
                string file = Escape(cell.File);
                int width = Math.Max(cell.Width, MinDisplayWidth);
                html.Append("<a href=\"").Append(file).Append("\"><img src=\"").Append(file)
                    .Append("\" width=\"").Append(width).Append("\" alt=\"")
                    .Append(Escape($"{row.Name} {column}")).Append("\"></a>");
            }
            html.Append("</td>");
        }
        html.Append("</tr>\n");
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
