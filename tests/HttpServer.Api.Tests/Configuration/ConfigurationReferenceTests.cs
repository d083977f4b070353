using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using HttpServer.Api.Tests.Infrastructure;
using HttpServer.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HttpServer.Api.Tests.Configuration;

/// <summary>docs/configuration.md's table against the options types, both ways: key, default (as shipped) and range.</summary>
[Trait("Host", "InMemory")]
public sealed partial class ConfigurationReferenceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string Root = HttpServer.Testing.RepositoryPaths.Root;

    [Fact]
    public void Every_options_property_is_in_the_table_with_its_shipped_default_and_its_range()
    {
        var rows = DocumentedRows();
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(Root, "HttpServer.Api", "appsettings.json")).Build();

        foreach (var (check, property, key) in OptionsProperties())
        {
            Assert.True(rows.TryGetValue(key, out var row), $"{key} is not in docs/configuration.md's table.");
            var shippedDefault = Format(property.GetValue(check.Bind(shipped)));
            Assert.True(shippedDefault == row.Default, $"{key}: documented default '{row.Default}', shipped '{shippedDefault}'.");
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                var expected = Format(range.Minimum) + "-" + Format(range.Maximum);
                Assert.True(expected == row.Accepts, $"{key}: documented range '{row.Accepts}', its [Range] {expected}.");
            }
            else
            {
                Assert.False(NumericRange().IsMatch(row.Accepts), $"{key} is documented with a range, {row.Accepts}, that its property does not have.");
            }
        }
    }

    [Fact]
    public void Every_row_of_the_table_in_a_section_the_app_owns_is_an_options_property()
    {
        var properties = OptionsProperties().Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sections = Checks().Select(c => c.Section).Where(s => s.Length > 0).ToList();

        var owned = DocumentedRows().Keys.Where(k => properties.Contains(k) || sections.Exists(s => k.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.NotEmpty(owned);
        Assert.All(owned, key => Assert.Contains(key, properties));
    }

    private IEnumerable<OptionsCheck> Checks() => factory.InMemory.Services.GetServices<OptionsCheck>();

    private IEnumerable<(OptionsCheck Check, PropertyInfo Property, string Key)> OptionsProperties() =>
        from check in Checks()
        from property in check.OptionsType.GetProperties().Where(p => p.CanWrite)
        let name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name
        select (check, property, check.Section.Length == 0 ? name : check.Section + ":" + name);

    /// <summary>The table's rows by key (":" for "__", an array's "__0" dropped), cells without backticks.</summary>
    private static Dictionary<string, (string Default, string Accepts)> DocumentedRows() =>
        TableRow().Matches(File.ReadAllText(Path.Combine(Root, "docs", "configuration.md")))
            .ToDictionary(
                m => m.Groups["key"].Value.Replace("__0", "", StringComparison.Ordinal).Replace("__", ":", StringComparison.Ordinal),
                m => (m.Groups["default"].Value.Replace("`", "", StringComparison.Ordinal).Trim(), m.Groups["accepts"].Value.Replace("`", "", StringComparison.Ordinal).Trim()),
                StringComparer.OrdinalIgnoreCase);

    private static string Format(object? value) => value switch
    {
        null => "unset",
        string s => s.Length == 0 ? "unset" : s,
        string[] { Length: 0 } => "none",
        string[] items => string.Join(", ", items),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z_0-9]+)`[^|]*\| (?<default>[^|]*)\| (?<accepts>[^|]*)\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^[0-9.]+-[0-9.]+$")]
    private static partial Regex NumericRange();
}
