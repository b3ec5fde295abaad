namespace BicycleGan.Evaluation;

/// <summary>
/// The two published releases of LPIPS's linear heads. Their files hold the same keys and
/// shapes; they differ in how the input reaches AlexNet.
/// </summary>
public enum LpipsVersion
{
    /// <summary>
    /// The first release, used for the BicycleGAN paper's diversity numbers: the [-1, 1] image
    /// is fed to AlexNet unscaled (the release notes call this a bug, kept for comparability).
    /// </summary>
    V0_0,

    /// <summary>The current release: the image passes the ScalingLayer, (x − shift) / scale.</summary>
    V0_1,
}
