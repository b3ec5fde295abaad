BicycleGan.TorchRuntime.Initialize();
Console.WriteLine($"bicyclegan: libtorch threads {TorchSharp.torch.get_num_threads()}");
