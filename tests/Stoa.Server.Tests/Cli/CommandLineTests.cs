namespace Stoa.Server.Tests.Cli;

/// <summary>
/// Every word that is not a setting is a command: a known one runs, help and version print and exit, and a misspelt
/// one is refused with the usage instead of starting a server. A server never exits by itself, so each of these ending
/// at all (StoaProcess gives up after two minutes) is part of what is checked.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string> s_environment = new() { ["Stoa__Store"] = "sqlite:data/cli-test.db" };

    [Fact]
    public async Task A_misspelt_command_prints_the_nearest_command_and_the_usage_and_exits_2()
    {
        var result = await StoaProcess.RunAsync(s_environment, "migarte");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("'migarte'");
        result.Stdout.ShouldContain("Did you mean");
        result.Stdout.ShouldContain("migrate");
        result.Stdout.ShouldContain("Usage:");
        result.Stdout.ShouldNotContain("Now listening");
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_usage_with_every_command(string word)
    {
        var result = await StoaProcess.RunAsync(s_environment, word);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("Usage:");
        foreach (var command in new[] { "serve", "migrate", "apps", "token", "follows", "version", "help" })
        {
            result.Stdout.ShouldContain(command);
        }
    }

    [Fact]
    public async Task Help_with_a_command_describes_that_command()
    {
        var result = await StoaProcess.RunAsync(s_environment, "help", "apps");
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("rotate-secret");
        result.Stdout.ShouldContain("origins");
    }

    [Theory]
    [InlineData("version")]
    [InlineData("--version")]
    public async Task Version_prints_the_version_and_exits(string word)
    {
        var result = await StoaProcess.RunAsync(s_environment, word);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain(Stoa.Server.Cli.StoaCli.Version.Split('+')[0]);
        result.Stdout.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Theory]
    [InlineData("--halp")]
    [InlineData("-x")]
    public async Task A_switch_that_is_not_a_setting_is_refused_instead_of_ignored(string word)
    {
        var result = await StoaProcess.RunAsync(s_environment, word);
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"'{word}' is neither a command nor a setting");
    }
}
