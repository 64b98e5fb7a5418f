namespace Stoa.Testing;

/// <summary>The temp directories the servers of a test run live in.</summary>
internal static class TempDirectory
{
    /// <summary>Best effort: a server killed a moment ago may still hold a file, and a test run must not fail over
    /// its leftovers in /tmp.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
