using Likes.Admin.Access;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using Xunit;

namespace Likes.Security.Tests;

/// <summary>
/// <c>likes-admin access</c>: what it writes is readable by its owner only, it refuses to write a server's users
/// without every password, it never changes a password it already wrote, and the operators' snippets in
/// docs/operations.md are exactly what it generates.
/// </summary>
public sealed class AccessCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("likes-access-");

    [Theory]
    [InlineData("redis-acl", "LIKES_EDGE_REDIS_PASSWORD")]
    [InlineData("nats-config", "LIKES_REHEATER_NATS_PASSWORD")]
    public void AServersUsers_WithoutEveryPassword_AreNotWritten_AndTheMissingOnesNamed(string what, string missing)
    {
        var file = Path.Combine(_directory.FullName, what);
        var error = new StringWriter();

        var exit = Run([what, file], v => v == missing ? null : "a-password", error);

        Assert.Equal(2, exit);
        Assert.Contains(missing, error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("credentials")]
    [InlineData("redis-acl")]
    [InlineData("nats-config")]
    public void WhatItWrites_OnlyItsOwnerCanRead_EvenOverAnOpenFile(string what)
    {
        var file = Path.Combine(_directory.FullName, what);
        File.WriteAllText(file, string.Empty);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        Assert.Equal(0, Run([what, file], _ => "a-password", TextWriter.Null));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void Credentials_AreCompleted_NeverChanged()
    {
        var file = Path.Combine(_directory.FullName, "credentials.env");
        Credentials.Ensure(file);
        var first = Credentials.Read(file);
        File.WriteAllLines(file, File.ReadAllLines(file).Where(l => !l.StartsWith("LIKES_EDGE_NATS_PASSWORD=", StringComparison.Ordinal)));

        var (total, added) = Credentials.Ensure(file);
        var second = Credentials.Read(file);

        Assert.Equal((16, 1), (total, added));
        Assert.Equal(first.Where(p => p.Key != "LIKES_EDGE_NATS_PASSWORD"), second.Where(p => p.Key != "LIKES_EDGE_NATS_PASSWORD"));
        Assert.NotEqual(first["LIKES_EDGE_NATS_PASSWORD"], second["LIKES_EDGE_NATS_PASSWORD"]);
    }

    [Fact]
    public void NatsPasswords_AreQuotedStrings_WhateverTheyLookLike()
    {
        var config = NatsAuthorization.Render(new StreamOptions(), who => who == Identity.Edge ? "2e5\"\\x" : "1234");

        Assert.Contains("password: \"2e5\\\"\\\\x\"", config, StringComparison.Ordinal);
        Assert.Contains("password: \"1234\"", config, StringComparison.Ordinal);
    }

    [Fact]
    public void OperationsDoc_ShowsExactlyTheGeneratedSnippets()
    {
        var snippets = new StringWriter();
        Assert.Equal(0, AccessCommand.Run(["snippets"], new StreamOptions(), new RedisOptions(), _ => null, snippets, TextWriter.Null));
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "operations.md"));

        Assert.True(doc.Contains(snippets.ToString(), StringComparison.Ordinal),
            "docs/operations.md does not show the output of `likes-admin access snippets` (default topology): paste it again");
    }

    [Fact]
    public void SecurityDoc_NamesOnlyTestClassesThatExist()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "security.md"));
        var named = System.Text.RegularExpressions.Regex.Matches(doc, @"`(?<name>[A-Z][A-Za-z]+Tests)`").Select(m => m.Groups["name"].Value).Distinct().ToList();
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "tests"), "*Tests.cs", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).ToHashSet();

        Assert.True(named.Count > 20, "docs/security.md names the tests that hold each item");
        Assert.All(named, name => Assert.Contains(name, files));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static int Run(string[] args, Func<string, string?> environment, TextWriter error)
        => AccessCommand.Run(args, new StreamOptions(), new RedisOptions(), environment, TextWriter.Null, error);
}
