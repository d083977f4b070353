using Xunit.Abstractions;
using Xunit.Sdk;

namespace HttpServer.AppHost.Tests;

/// <summary>
/// Marks a test that stops a resource of the shared app and leaves it stopped: such tests run after
/// the others of their class (restarting a service through <c>dotnet run</c> would cost 10-15 s).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StopsAResourceAttribute : Attribute;

/// <summary>Orders a class's tests by name, those marked <see cref="StopsAResourceAttribute"/> last.</summary>
public sealed class StoppingTestsLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "HttpServer.AppHost.Tests.StoppingTestsLastOrderer";
    public const string AssemblyName = "HttpServer.AppHost.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases
            .OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(StopsAResourceAttribute)).Any())
            .ThenBy(test => test.DisplayName, StringComparer.Ordinal);
}
