using System.Globalization;
using System.Text.Json;

namespace BicycleGan.Sampling;

/// <summary>
/// Reads explicit latent codes. Two formats, chosen by extension (.json, .csv) or, for any other
/// name, by the first character ('[' means JSON):
/// <list type="bullet">
/// <item>JSON: an array of arrays of numbers, one inner array per code. Row k is the k-th inner
/// array, counted from 1.</item>
/// <item>CSV: one code per line, numbers separated by commas, invariant culture ('.' decimal
/// point). Blank lines are skipped. The first line is a header, and skipped, when it has nz
/// fields and none of them is a number (e.g. <c>z0,z1,…</c>); any other non-numeric field is an
/// error. Rows are line numbers of the file, counted from 1, as an editor shows them.</item>
/// </list>
/// Every row must hold exactly nz finite numbers that fit a 32-bit float.
/// </summary>
internal static class ZFileReader
{
    // Spellings numpy and spreadsheets write that .NET's invariant parser does not know.
    private static readonly HashSet<string> NonFiniteWords =
        new(["inf", "+inf", "-inf", "nan", "+nan", "-nan"], StringComparer.OrdinalIgnoreCase);

    public static float[][] Read(string path, int nz)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(nz, 1);
        string text = ReadText(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        bool json = extension == ".json"
            || (extension != ".csv" && text.TrimStart().StartsWith('['));
        var rows = json ? ParseJson(path, text, nz) : ParseCsv(path, text, nz);
        if (rows.Count == 0) throw new ZFileException(path, null, "holds no codes.");
        return [.. rows];
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ZFileException(path, null, "does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZFileException(path, null, $"could not be read: {e.Message}", e);
        }
    }

    private static List<float[]> ParseJson(string path, string text, int nz)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            // Line numbers from the reader count from 0; editors count from 1.
            throw new ZFileException(path, null, $"is not valid JSON (line {e.LineNumber + 1}, "
                + $"byte {e.BytePositionInLine + 1}); NaN and infinities are not JSON numbers.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new ZFileException(path, null,
                    $"holds a JSON {root.ValueKind} at the top; an array of codes was expected.");
            }
            var rows = new List<float[]>();
            foreach (var element in root.EnumerateArray())
                rows.Add(JsonRow(path, rows.Count + 1, element, nz));
            return rows;
        }
    }

    private static float[] JsonRow(string path, int row, JsonElement element, int nz)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ZFileException(path, row,
                $"is a JSON {element.ValueKind}; each code must be an array of {nz} numbers.");
        }
        int length = element.GetArrayLength();
        if (length != nz) throw WrongWidth(path, row, $"{length} values", nz);
        float[] code = new float[nz];
        int k = 0;
        foreach (var value in element.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw new ZFileException(path, row,
                    $"value {k + 1} ({value.GetRawText()}) is not a number.");
            }
            // TryGetDouble refuses literals beyond double's range, which are infinite.
            if (!value.TryGetDouble(out double number))
                throw NotFinite(path, row, k, value.GetRawText());
            code[k] = ToFloat(path, row, k, number, value.GetRawText());
            k++;
        }
        return code;
    }

    private static List<float[]> ParseCsv(string path, string text, int nz)
    {
        var rows = new List<float[]>();
        string[] lines = text.Split('\n');
        bool first = true;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] fields = line.Split(',');
            // A header names the nz columns; a first line of another width is a bad row.
            bool header = first && fields.Length == nz && !fields.Any(LooksNumeric);
            first = false;
            if (!header) rows.Add(CsvRow(path, i + 1, fields, nz));
        }
        return rows;
    }

    private static float[] CsvRow(string path, int row, string[] fields, int nz)
    {
        if (fields.Length != nz)
            throw WrongWidth(path, row, $"{fields.Length} comma-separated values", nz);
        float[] code = new float[nz];
        for (int k = 0; k < nz; k++)
        {
            string field = fields[k].Trim();
            if (field.Length == 0)
                throw new ZFileException(path, row, $"value {k + 1} is empty.");
            if (NonFiniteWords.Contains(field)) throw NotFinite(path, row, k, field);
            if (!TryParse(field, out double number))
                throw new ZFileException(path, row, $"value {k + 1} ('{field}') is not a number.");
            code[k] = ToFloat(path, row, k, number, field);
        }
        return code;
    }

    private static bool LooksNumeric(string field) =>
        TryParse(field, out _) || NonFiniteWords.Contains(field.Trim());

    private static bool TryParse(string field, out double number) =>
        double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private static float ToFloat(string path, int row, int k, double number, string shown)
    {
        if (!double.IsFinite(number)) throw NotFinite(path, row, k, shown);
        float value = (float)number;
        if (!float.IsFinite(value))
        {
            throw new ZFileException(path, row,
                $"value {k + 1} ({shown}) is too large for a 32-bit float.");
        }
        return value;
    }

    private static ZFileException NotFinite(string path, int row, int k, string shown) =>
        new(path, row, $"value {k + 1} ({shown}) is not a finite number; codes must not hold NaN "
            + "or infinities.");

    private static ZFileException WrongWidth(string path, int row, string found, int nz) =>
        new(path, row, $"holds {found}, but the model's codes have nz = {nz}.");
}
