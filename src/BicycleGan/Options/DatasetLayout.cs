namespace BicycleGan.Options;

/// <summary>How a dataset folder stores its examples.</summary>
public enum DatasetLayout
{
    /// <summary>Each file under <c>root/&lt;split&gt;</c> holds A and B side by side (A|B).</summary>
    Aligned,

    /// <summary>
    /// <c>root/&lt;split&gt;/A</c> and <c>root/&lt;split&gt;/B</c>, matched by file name.
    /// </summary>
    Paired,

    /// <summary>Inputs only under <c>root/&lt;split&gt;</c>, for inference.</summary>
    Single,
}
