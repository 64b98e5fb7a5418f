using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task Rediss_url_connects_over_tls()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        string directory = Directory.CreateTempSubdirectory("stoa-redis-tls-").FullName;
        string certFile = Path.Combine(directory, "cert.pem");
        string keyFile = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        int tlsPort = TestPorts.GetFree();
        await using var server = await RedisServer.StartAsync(extraArgs:
        [
            "--tls-port", tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls-cert-file", certFile, "--tls-key-file", keyFile, "--tls-ca-cert-file", certFile, "--tls-auth-clients", "no",
        ]);
        await TestPorts.WaitForListenerAsync(tlsPort, TimeSpan.FromSeconds(20), () => "redis TLS port");

        var options = RedisOptions.Parse($"rediss://localhost:{tlsPort}?name=tls-client");
        options.CertificateValidation = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();
        await using var client = await RedisClient.ConnectAsync(options);
        await client.SetAsync("tls", "yes");
        (await client.GetAsync("tls")).ShouldBe("yes");
        (await client.ExecuteAsync("CLIENT", "GETNAME")).AsString().ShouldBe("tls-client");

        // Without trusting the self-signed certificate the connection is refused with a clear error.
        await Should.ThrowAsync<RedisConnectionException>(() => RedisClient.ConnectAsync($"rediss://localhost:{tlsPort}"));
        Directory.Delete(directory, recursive: true);
    }
}
