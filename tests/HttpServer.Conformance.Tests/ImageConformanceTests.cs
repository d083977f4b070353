using System.Globalization;
using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests;

/// <summary>The image the SDK published is the one the Deployment names, and it is fit to be stopped by a kubelet.</summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class ImageConformanceTests(ConformanceFixture fixture)
{
    [Fact]
    public void Deployments_run_the_image_the_sdk_published()
    {
        Assert.All(fixture.Templates, template => Assert.Equal(fixture.Image, FullyQualified(template.Container.Image)));
    }

    [Fact]
    public async Task Both_images_start_the_app_itself_as_pid_1_as_the_pods_user()
    {
        foreach (var image in new[] { fixture.Image, fixture.AotImage })
        {
            var config = (await Podman.InspectImageAsync(image)).GetProperty("Config");
            var entrypoint = config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).ToList();

            // Exec form, no shell in between: SIGTERM from `podman stop` or the kubelet reaches the app.
            Assert.Equal(["/app/HttpServer.Api"], entrypoint);
            // The image's own user is the pods' user, so it runs unprivileged even where runAsUser is not set.
            Assert.All(fixture.Templates, template => Assert.Equal(
                (template.Container.SecurityContext?.RunAsUser ?? template.PodSpec.SecurityContext?.RunAsUser)?.ToString(CultureInfo.InvariantCulture),
                config.GetProperty("User").GetString()));
        }
    }

    [Fact]
    public void NativeAot_image_is_the_same_repository_tagged_aot()
    {
        Assert.Equal(fixture.Image + "-aot", fixture.AotImage);
    }

    [Fact]
    public void Grace_period_covers_prestop_drain_and_in_flight_timeout()
    {
        Assert.All(fixture.Templates, GracePeriodCoversShutdown);
    }

    private static void GracePeriodCoversShutdown(Manifests.PodTemplate template)
    {
        var drain = Setting(template, "Lifecycle__DrainDelaySeconds");
        var inFlight = Setting(template, "Lifecycle__ShutdownTimeoutSeconds");
        var preStop = template.PreStopSleepSeconds ?? 0;

        Assert.True(template.TerminationGracePeriodSeconds > preStop + drain + inFlight,
            $"{template.Name}: terminationGracePeriodSeconds {template.TerminationGracePeriodSeconds} must exceed preStop {preStop} + drain {drain} + in-flight {inFlight}");
    }

    /// <summary>The pod's value of <paramref name="key"/>, or the Api's appsettings.json default when the pod sets none.</summary>
    private static double Setting(Manifests.PodTemplate template, string key) => double.Parse(
        template.Setting(key) ?? ApiAppSettings.Value(key) ?? throw new InvalidOperationException($"{key} is neither in the pod nor in {ApiAppSettings.Path}"),
        CultureInfo.InvariantCulture);

    /// <summary>What a kubelet (and podman) makes of an unqualified image name.</summary>
    private static string FullyQualified(string image)
    {
        var firstPart = image.Split('/')[0];
        var hasRegistry = image.Contains('/') && (firstPart.Contains('.') || firstPart.Contains(':') || firstPart == "localhost");
        return hasRegistry ? image : image.Contains('/') ? $"docker.io/{image}" : $"docker.io/library/{image}";
    }
}
