namespace BicycleGan.Data;

/// <summary>
/// A generated dataset before preprocessing: A and B as made, in A→B order. Built-in datasets
/// implement it so <see cref="BuiltinDatasets.Make"/> can write exactly what they generate.
/// </summary>
internal interface IRawPairSource
{
    int Count { get; }

    string Describe(int index);

    (HostImage A, HostImage B) Raw(int index);
}
