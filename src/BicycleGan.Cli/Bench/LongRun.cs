using System.Diagnostics;
using BicycleGan.Data;
using BicycleGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BicycleGan.Cli.Bench;

/// <summary>
/// Trains for many steps on batches from a real loader, as a training run does, watching native
/// memory and the tensors alive on this thread, and timing how long each step waits for its batch.
/// </summary>
internal static class LongRun
{
    /// <param name="progress">Receives a line at every memory sample.</param>
    public static LongRunResult Run(Trainer trainer, BatchLoader loader, int steps,
        Action<string> progress)
    {
        int warmup = Math.Max(1, steps / 10);
        int every = Math.Max(1, steps / 20);
        var rss = new List<(int Step, double Mb)>();
        long liveAtWarmup = 0;
        var waiting = new Stopwatch();
        var wall = new Stopwatch();
        int step = 0;
        for (int epoch = 0; step < steps; epoch++)
        {
            using var batches = loader.Epoch(epoch).GetEnumerator();
            while (step < steps)
            {
                waiting.Start();
                bool more = batches.MoveNext();
                waiting.Stop();
                if (!more) break;
                using (NewDisposeScope())
                    trainer.Step(batches.Current.ToTensorA(), batches.Current.ToTensorB());
                step++;
                if (step != warmup && step % every != 0 && step != steps) continue;

                // Sampling (a full GC) is not part of a training step: keep it off both clocks.
                wall.Stop();
                if (step == warmup)
                {
                    liveAtWarmup = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                    waiting.Reset();
                }
                ProcessMemory.SettleManagedHeap();
                rss.Add((step, ProcessMemory.ResidentMb()));
                progress($"memory run step {step}/{steps}: {rss[^1].Mb:F0} MB resident");
                // Both clocks count from the warm-up step on.
                if (step == warmup) wall.Restart();
                else wall.Start();
            }
        }
        wall.Stop();
        long liveAtEnd = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        int timedSteps = Math.Max(1, steps - warmup);
        double waitPct = wall.Elapsed.TotalSeconds > 0
            ? waiting.Elapsed.TotalSeconds / wall.Elapsed.TotalSeconds * 100
            : 0;
        return new LongRunResult(steps, warmup, rss, liveAtWarmup, liveAtEnd, waitPct,
            wall.Elapsed.TotalSeconds / timedSteps);
    }
}
