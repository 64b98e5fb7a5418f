using System.Diagnostics;
using System.Globalization;

namespace Stoa.Chaos;

internal enum Signal
{
    Kill = 9,
    Term = 15,
}

/// <summary>A running process as /proc shows it: command line, environment, working directory.</summary>
internal sealed record ProcessImage(int Pid, IReadOnlyList<string> CommandLine, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory)
{
    public static ProcessImage? Find(Func<ProcessImage, bool> match)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText($"{dir}/cmdline").TrimEnd('\0').Split('\0');
                var environment = File.ReadAllText($"{dir}/environ").TrimEnd('\0').Split('\0')
                    .Select(e => e.Split('=', 2)).Where(e => e.Length == 2)
                    .GroupBy(e => e[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
                var cwd = new DirectoryInfo($"{dir}/cwd").LinkTarget ?? "/";
                var image = new ProcessImage(pid, commandLine, environment, cwd);
                if (commandLine[0].Length > 0 && match(image))
                {
                    return image;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }

        return null;
    }

    public void Signal(Signal signal)
    {
        using var kill = Process.Start("kill", [$"-{(int)signal}", Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task WaitExitAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Directory.Exists($"/proc/{Pid}") && !IsZombie())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"pid {Pid} did not exit within {limit.TotalSeconds} s");
            }

            await Task.Delay(50);
        }
    }

    private bool IsZombie()
    {
        try
        {
            return File.ReadAllText($"/proc/{Pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
