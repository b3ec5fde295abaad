// libtorch's thread count is process-wide and golden comparisons pin it; test classes run one at
// a time so they neither race on it nor fight over the machine's two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
