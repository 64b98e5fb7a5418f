using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Hosting;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// deploy/k8s against the server's real settings: ports, probe paths, environment names and values, the module split,
/// shutdown timing and the pod security settings. Kubernetes itself is not needed: the manifests are parsed here.
/// </summary>
public sealed class ManifestTests
{
    private static readonly Dictionary<string, string> s_apiVersions = new(StringComparer.Ordinal)
    {
        ["ConfigMap"] = "v1",
        ["Secret"] = "v1",
        ["Service"] = "v1",
        ["ServiceAccount"] = "v1",
        ["Deployment"] = "apps/v1",
        ["Job"] = "batch/v1",
        ["HorizontalPodAutoscaler"] = "autoscaling/v2",
        ["PodDisruptionBudget"] = "policy/v1",
        ["Ingress"] = "networking.k8s.io/v1",
    };

    /// <summary>Variables read by the runtime or libraries rather than bound into a Stoa options class.</summary>
    private static readonly HashSet<string> s_otherVariables = new(StringComparer.Ordinal)
    {
        "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
    };

    private static IEnumerable<Manifest> Deployments => KubernetesManifests.OfKind("Deployment");

    [Fact]
    public void Every_manifest_is_a_known_kind_at_its_api_version_without_a_namespace()
    {
        KubernetesManifests.All.ShouldNotBeEmpty();
        foreach (var manifest in KubernetesManifests.All)
        {
            s_apiVersions.ShouldContainKey(manifest.Kind, manifest.ToString());
            manifest.ApiVersion.ShouldBe(s_apiVersions[manifest.Kind], manifest.ToString());
            manifest["metadata"]["namespace"].Exists.ShouldBeFalse($"{manifest}: the manifests are applied with -n");
        }

        KubernetesManifests.All.GroupBy(m => (m.Kind, m.Name)).ShouldAllBe(g => g.Count() == 1);
        KubernetesManifests.OfKind("Deployment").Count().ShouldBeGreaterThan(1, "the split by module is shown with one Deployment per group");
    }

    [Fact]
    public void Containers_probes_services_and_scrape_annotations_use_the_port_of_Stoa_Urls()
    {
        foreach (var (owner, pod) in KubernetesManifests.PodTemplates().Where(p => p.Owner.Kind == "Deployment"))
        {
            var container = pod["containers"].Items.Single();
            var port = ListenPort(KubernetesManifests.EffectiveEnvironment(container), owner);
            var http = container["ports"].Items.Single();
            http["name"].String.ShouldBe("http");
            http["containerPort"].Long.ShouldBe(port, owner.ToString());

            foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                var probePort = container[probe]["httpGet"]["port"];
                (probePort.Value is "http" || probePort.Value is long p && p == port).ShouldBeTrue($"{probePort.Path} is {probePort.Value}, not http or {port}");
            }

            var annotations = owner["spec"]["template"]["metadata"]["annotations"];
            annotations["prometheus.io/port"].String.ShouldBe(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            annotations["prometheus.io/path"].String.ShouldBe("/metrics");

            var labels = owner["spec"]["template"]["metadata"]["labels"];
            var services = KubernetesManifests.OfKind("Service").Where(s => Selects(s["spec"]["selector"], labels)).ToList();
            services.ShouldNotBeEmpty($"a Service selects the pods of {owner}");
            foreach (var service in services)
            {
                var servicePort = service["spec"]["ports"].Items.Single();
                (servicePort["targetPort"].Value is "http" || servicePort["targetPort"].Value is long t && t == port).ShouldBeTrue(servicePort.Path);
            }
        }
    }

    [Fact]
    public void Probes_are_healthz_for_liveness_and_start_up_and_readyz_for_readiness()
    {
        foreach (var deployment in Deployments)
        {
            var container = deployment["spec"]["template"]["spec"]["containers"].Items.Single();
            container["livenessProbe"]["httpGet"]["path"].String.ShouldBe("/healthz");
            container["startupProbe"]["httpGet"]["path"].String.ShouldBe("/healthz");
            container["readinessProbe"]["httpGet"]["path"].String.ShouldBe("/readyz");
            // The readiness checks give each dependency 2 s; a shorter probe timeout would fail healthy pods.
            container["readinessProbe"]["timeoutSeconds"].Long.ShouldBeGreaterThan(2);
        }
    }

    [Fact]
    public void Every_environment_name_is_a_setting_the_server_binds()
    {
        var names = KubernetesManifests.OfKind("ConfigMap").SelectMany(m => m["data"].Entries.Select(e => (e.Key, m.ToString())))
            .Concat(KubernetesManifests.OfKind("Secret").SelectMany(m => m["stringData"].Entries.Select(e => (e.Key, m.ToString()))))
            .Concat(KubernetesManifests.PodTemplates().SelectMany(p => p.Pod["containers"].Items
                .SelectMany(c => c["env"].Items.Select(v => (v["name"].String, p.Owner.ToString())))))
            .ToList();
        names.ShouldNotBeEmpty();
        foreach (var (name, where) in names)
        {
            if (name.StartsWith("Stoa__", StringComparison.Ordinal))
            {
                ServerSettings.IsLeaf(ServerSettings.KeyOf(name), out var reason).ShouldBeTrue($"{where}: {reason}");
            }
            else
            {
                s_otherVariables.ShouldContain(name, $"{where}: {name} is neither Stoa__… nor a known runtime variable");
            }
        }
    }

    [Fact]
    public void Every_value_is_a_quoted_string()
    {
        // Kubernetes refuses ConfigMap data and env values that YAML reads as numbers or booleans.
        foreach (var manifest in KubernetesManifests.OfKind("ConfigMap"))
        {
            manifest["data"].Entries.ShouldAllBe(e => e.Value.Value is string);
        }

        foreach (var (owner, pod) in KubernetesManifests.PodTemplates())
        {
            pod["containers"].Items.SelectMany(c => c["env"].Items).ShouldAllBe(v => v["value"].Value is string, owner.ToString());
        }
    }

    [Fact]
    public void Each_container_configuration_passes_the_servers_and_modules_validation()
    {
        foreach (var (owner, pod) in KubernetesManifests.PodTemplates())
        {
            var environment = KubernetesManifests.EffectiveEnvironment(pod["containers"].Items.Single());
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(ServerSettings.KeyOf(e.Key), (string?)e.Value)))
                .Build();
            // Exactly what a starting node does: bind and validate the Stoa section, then each module its own.
            var options = Should.NotThrow(() => configuration.ReadStoaOptions(ModuleCatalog.Names), owner.ToString());
            options.IsDevMode.ShouldBeFalse($"{owner}: never the development app in a cluster");
            options.Redis.ShouldNotBeNullOrWhiteSpace($"{owner}: a cluster shares one Redis engine");
            options.StoreUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase).ShouldBeTrue($"{owner}: a cluster needs PostgreSQL or CockroachDB");
            options.TrustedProxyList.ShouldNotBeEmpty($"{owner}: behind the ingress, its network must be trusted for client IPs");
            foreach (var module in ModuleCatalog.Select(options.Modules))
            {
                Should.NotThrow(() => module.AddServices(new ServiceCollection(), configuration), $"{owner}: module {module.Name}");
            }
        }
    }

    [Fact]
    public void The_deployments_split_the_modules_and_the_migration_job_migrates_them_all()
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var deployment in Deployments)
        {
            foreach (var module in ModulesOf(deployment))
            {
                owners.TryAdd(module, deployment.Name).ShouldBeTrue($"{module} runs in {owners.GetValueOrDefault(module)} and {deployment.Name}");
            }
        }

        string.Join(",", owners.Keys.Order()).ShouldBe(string.Join(",", ModuleCatalog.Names.Order()), "every module runs in exactly one Deployment");

        var job = KubernetesManifests.OfKind("Job").ShouldHaveSingleItem();
        var container = job["spec"]["template"]["spec"]["containers"].Items.Single();
        container["args"].Items.Select(a => a.String).ShouldBe(["migrate"]);
        var migrated = StoaOptionsValidator.ModuleNames(KubernetesManifests.EffectiveEnvironment(container).GetValueOrDefault("Stoa__Modules"), ModuleCatalog.Names);
        string.Join(",", migrated.Order()).ShouldBe(string.Join(",", ModuleCatalog.Names.Order()), "the migration job creates every module's tables");
        job["spec"]["template"]["spec"]["restartPolicy"].String.ShouldBe("Never");
    }

    [Fact]
    public void Every_pod_runs_the_same_image()
    {
        var images = KubernetesManifests.PodTemplates().SelectMany(p => p.Pod["containers"].Items).Select(c => c["image"].String).Distinct().ToList();
        images.ShouldHaveSingleItem("the Deployments and the migration Job must run one version of stoa");
    }

    [Fact]
    public void The_grace_period_covers_the_shutdown_delay_and_timeout()
    {
        var defaults = new StoaOptions();
        foreach (var deployment in Deployments)
        {
            var pod = deployment["spec"]["template"]["spec"];
            var environment = KubernetesManifests.EffectiveEnvironment(pod["containers"].Items.Single());
            var delay = environment.TryGetValue("Stoa__ShutdownDelaySeconds", out var d) ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : defaults.ShutdownDelaySeconds;
            var timeout = environment.TryGetValue("Stoa__ShutdownTimeoutSeconds", out var t) ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : defaults.ShutdownTimeoutSeconds;
            delay.ShouldBeGreaterThan(0, $"{deployment}: without a delay the pod stops listening before the endpoints controller notices");
            pod["terminationGracePeriodSeconds"].Long.ShouldBeGreaterThan(delay + timeout, deployment.ToString());
        }
    }

    [Fact]
    public void Pods_run_as_the_images_non_root_user_with_a_read_only_root_and_no_capabilities()
    {
        var imageUser = DockerfileTests.Instructions("USER").Single();
        foreach (var (owner, pod) in KubernetesManifests.PodTemplates())
        {
            pod["securityContext"]["runAsNonRoot"].Bool.ShouldBeTrue(owner.ToString());
            pod["securityContext"]["runAsUser"].Long.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(imageUser, owner.ToString());
            pod["automountServiceAccountToken"].Bool.ShouldBeFalse(owner.ToString());
            var container = pod["containers"].Items.Single();
            var security = container["securityContext"];
            security["allowPrivilegeEscalation"].Bool.ShouldBeFalse(owner.ToString());
            security["readOnlyRootFilesystem"].Bool.ShouldBeTrue(owner.ToString());
            security["capabilities"]["drop"].Items.Select(c => c.String).ShouldContain("ALL");

            // A read-only root needs a writable /tmp (the runtime's diagnostics socket), backed by an emptyDir.
            var tmp = container["volumeMounts"].Items.Single(m => m["mountPath"].String == "/tmp");
            pod["volumes"].Items.Single(v => v["name"].String == tmp["name"].String)["emptyDir"].Value.ShouldNotBeNull();

            container["resources"]["requests"]["cpu"].Exists.ShouldBeTrue(owner.ToString());
            container["resources"]["requests"]["memory"].Exists.ShouldBeTrue(owner.ToString());
            container["resources"]["limits"]["memory"].Exists.ShouldBeTrue(owner.ToString());
        }
    }

    [Fact]
    public void Each_deployment_has_a_cpu_autoscaler_and_a_disruption_budget()
    {
        foreach (var deployment in Deployments)
        {
            var hpa = KubernetesManifests.OfKind("HorizontalPodAutoscaler")
                .Single(h => h["spec"]["scaleTargetRef"]["kind"].String == "Deployment" && h["spec"]["scaleTargetRef"]["name"].String == deployment.Name);
            hpa["spec"]["minReplicas"].Long.ShouldBeGreaterThanOrEqualTo(2, $"{hpa}: one pod is no redundancy");
            hpa["spec"]["maxReplicas"].Long.ShouldBeGreaterThan(hpa["spec"]["minReplicas"].Long);
            hpa["spec"]["metrics"].Items.ShouldContain(m => m["resource"]["name"].String == "cpu");

            var labels = deployment["spec"]["template"]["metadata"]["labels"];
            Selects(deployment["spec"]["selector"]["matchLabels"], labels).ShouldBeTrue(deployment.ToString());
            var pdb = KubernetesManifests.OfKind("PodDisruptionBudget").Single(p => Selects(p["spec"]["selector"]["matchLabels"], labels));
            // A budget that allows no disruption blocks every node drain.
            (pdb["spec"]["maxUnavailable"].Value is long max && max >= 1
                || pdb["spec"]["minAvailable"].Value is long min && min < hpa["spec"]["minReplicas"].Long).ShouldBeTrue(pdb.ToString());
        }
    }

    [Fact]
    public void Secrets_hold_placeholders_only()
    {
        foreach (var secret in KubernetesManifests.OfKind("Secret"))
        {
            foreach (var (key, value) in secret["stringData"].Entries)
            {
                var uri = new Uri(value.String);
                var password = uri.UserInfo.Split(':').Last();
                password.ShouldBe("CHANGE_ME", $"{secret} {key}: placeholders only, never a real secret");
            }

            secret["data"].Exists.ShouldBeFalse(secret.ToString());
        }

        KubernetesManifests.OfKind("ConfigMap").SelectMany(m => m["data"].Entries)
            .ShouldAllBe(e => !e.Key.EndsWith("Store", StringComparison.Ordinal) && !e.Key.EndsWith("Redis", StringComparison.Ordinal));
    }

    [Fact]
    public void Applying_the_folder_neither_overwrites_secrets_nor_reruns_the_migration_job()
    {
        // `kubectl apply -f deploy/k8s/` reads the top folder only: the Secret template would replace the real
        // credentials, and a finished Job cannot be applied again with a new image.
        var topLevel = KubernetesManifests.All.Where(m => !m.File.Replace('\\', '/')["deploy/k8s/".Length..].Contains('/', StringComparison.Ordinal));
        topLevel.ShouldNotContain(m => m.Kind == "Secret" || m.Kind == "Job");
    }

    [Fact]
    public void The_ingress_sends_only_v1_routes_to_existing_services()
    {
        var paths = IngressPath.All();
        paths.ShouldNotBeEmpty();
        foreach (var path in paths)
        {
            path.Path.ShouldStartWith("/v1/");
            var service = KubernetesManifests.Get("Service", path.Service);
            service["spec"]["ports"].Items.ShouldContain(p => p["name"].Value as string == path.Port);
        }
    }

    [Fact]
    public void Every_request_of_one_document_hashes_on_its_id_and_creating_one_does_not()
    {
        // ingress-nginx balances per Service (the first Ingress to configure one wins), so the hashed paths need a
        // Service that no other path uses, or quotes would be hashed too (or the documents not).
        var paths = IngressPath.All();
        var id = Guid.NewGuid().ToString();
        string[] documentPaths = [$"/v1/docs/{id}", $"/v1/docs/{id}/ops", $"/v1/docs/{id}/live"];
        var hashed = documentPaths.Select(p => IngressPath.Winner(paths, p) ?? throw new ShouldAssertException($"no ingress path serves {p}")).ToList();
        foreach (var (request, path) in documentPaths.Zip(hashed))
        {
            path.Annotation("nginx.ingress.kubernetes.io/upstream-hash-by").ShouldBe("$1", $"{request} goes to {path.Path}");
            path.Captures(request)[1].Value.ShouldBe(id, $"the capture of {path.Path} is the document id");
        }

        var service = hashed.Select(p => p.Service).Distinct().ShouldHaveSingleItem();
        paths.Where(p => p.Service == service).ShouldAllBe(p => p.Annotation("nginx.ingress.kubernetes.io/upstream-hash-by") == "$1");

        var create = IngressPath.Winner(paths, "/v1/docs").ShouldNotBeNull();
        create.Annotation("nginx.ingress.kubernetes.io/upstream-hash-by").ShouldBeNull("creating a document is round robin");
        var docsPods = KubernetesManifests.Get("Service", service)["spec"]["selector"];
        var createPods = KubernetesManifests.Get("Service", create.Service)["spec"]["selector"];
        docsPods.Entries.ToDictionary(e => e.Key, e => e.Value.String).ShouldBe(createPods.Entries.ToDictionary(e => e.Key, e => e.Value.String),
            "both Services reach the pods that run the docs module");

        // The /live WebSocket stays open for hours through the hashed path as through the others.
        foreach (var annotation in new[] { "proxy-read-timeout", "proxy-send-timeout", "proxy-buffering", "proxy-body-size" })
        {
            hashed[2].Annotation("nginx.ingress.kubernetes.io/" + annotation).ShouldBe(create.Annotation("nginx.ingress.kubernetes.io/" + annotation), annotation);
        }
    }

    internal static long ListenPort(IReadOnlyDictionary<string, string> environment, object where)
    {
        environment.TryGetValue("Stoa__Urls", out var urls).ShouldBeTrue($"{where}: Stoa__Urls is unset, so the node would listen on localhost only");
        var options = new StoaOptions { Urls = urls! };
        var port = options.UrlList.Select(u => new Uri(u.Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Port).Distinct().ShouldHaveSingleItem();
        return port;
    }

    internal static IReadOnlyList<string> ModulesOf(Manifest deployment)
    {
        var container = deployment["spec"]["template"]["spec"]["containers"].Items.Single();
        var modules = KubernetesManifests.EffectiveEnvironment(container).GetValueOrDefault("Stoa__Modules");
        modules.ShouldNotBeNullOrWhiteSpace($"{deployment}: set Stoa__Modules to show which modules it runs");
        return StoaOptionsValidator.ModuleNames(modules, ModuleCatalog.Names);
    }

    internal static bool Selects(Node selector, Node labels) =>
        selector.Entries.Any() && selector.Entries.All(e => labels[e.Key].Value is string value && value == e.Value.String);
}
