using System.Net;
using System.Reflection;
using System.Security.Claims;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Live;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Figures;

/// <summary>
/// The access-sweep figure: every route in the app's own route table (API routes, @page routes, the hub) and every method the hub
/// class declares, requested as each demo role, signed out and as an agent of another dealership. What each identity may reach is
/// derived from the endpoint's own authorization metadata, evaluated by the app's authorization service on the identity's real
/// claims. Route parameters and query strings carry the ids and name of a customer made for this test in a dealership none of the
/// scoped identities belongs to; no response (and no page query those identities' circuits run) may carry that customer.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AccessSweepFigureTests(AppFixture app, ITestOutputHelper output)
{
    private sealed record Identity(string Label, string? UserName, bool SeesEveryDealership);

    [Fact]
    public async Task Sweep_EveryRouteAndHubMethodForEveryIdentity_NothingReachableThatShouldNotBe_NoOtherDealershipRows()
    {
        // The other dealership, its customer with a unique marker name, and an agent of a third dealership.
        var marker = "Zq" + Guid.NewGuid().ToString("N")[..10];
        var other = await app.NewDealershipAsync(marker[..8], customers: 1);
        var customer = other.Customers[0];
        var third = await app.NewDealershipAsync("sweep3", customers: 1);
        var thirdAgent = await app.NewAgentAsync("Theo Third", third.Id);
        var markerName = customer.Name; // "Ada <marker-prefix><n>": unique to this test's dealership
        var markerLast = markerName.Split(' ')[1];

        Identity[] identities =
        [
            new("admin", "admin", true), new("supervisor", "supervisor", true), new("agent.north1", "agent.north1", false),
            new("ho.agent", "ho.agent", true), new("signed-out", null, false), new("other-dealership agent", thirdAgent.UserName, false),
        ];

        var endpoints = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => !IsStaticFile(e)).ToList();
        var routes = endpoints
            .SelectMany(e => Methods(e).Select(m => (Endpoint: e, Method: m, Path: Fill(e.RoutePattern.RawText!, customer, other.Id))))
            .DistinctBy(r => (r.Method, r.Path)).OrderBy(r => r.Path).ThenBy(r => r.Method).ToList();
        var hubMethods = typeof(LiveHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync))).ToList();

        var authorization = app.Service<IAuthorizationService>();
        var policies = app.Service<IAuthorizationPolicyProvider>();
        var failures = new List<string>();
        var requests = 0;
        foreach (var identity in identities)
        {
            var principal = await PrincipalAsync(identity.UserName);
            using var signedIn = identity.UserName is null ? null : await app.SignInAsync(identity.UserName);
            var client = signedIn?.Client ?? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
            // Logout last: it would end the session the other requests use (it needs its antiforgery token, so it should not).
            foreach (var (endpoint, method, path) in routes.OrderBy(r => r.Path == "/account/logout"))
            {
                var allowed = await AllowedAsync(endpoint, principal, authorization, policies);
                int status;
                string body;
                if (endpoint.RoutePattern.RawText!.StartsWith(LiveHub.Path, StringComparison.Ordinal) && method == "GET" && !path.EndsWith("negotiate"))
                    (status, body) = await ConnectHubAsync(signedIn, customer.RecordId);
                else
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method != "GET") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                    using var response = await client.SendAsync(request);
                    status = (int)response.StatusCode;
                    body = await response.Content.ReadAsStringAsync();
                }
                requests++;
                if (!allowed && status is >= 200 and < 300)
                    failures.Add($"{identity.Label}: {method} {path} answered {status}, which its authorization metadata excludes");
                if (!identity.SeesEveryDealership && status is >= 200 and < 300 && Mentions(body, markerLast, customer))
                    failures.Add($"{identity.Label}: {method} {path} carried the other dealership's customer");
            }
            foreach (var method in hubMethods)
            {
                requests++;
                var (status, _) = await InvokeHubAsync(signedIn, method, customer);
                if (status == 200 && !identity.SeesEveryDealership)
                    failures.Add($"{identity.Label}: hub method {method.Name} ran with another dealership's ids");
            }
            // The pages load their rows over the circuit (no prerendering), from these queries: ask them as the identity does.
            if (identity.UserName is not null && !identity.SeesEveryDealership)
                failures.AddRange(await PageQueriesLeakAsync(identity, markerLast, customer, other.Id));
            if (signedIn is null) client.Dispose();
        }

        var leaks = failures.Count(f => f.Contains("carried") || f.Contains("query"));
        var reachable = failures.Count - leaks;
        Print($"access sweep: {routes.Count} routes + {hubMethods.Count} hub methods × {identities.Length} identities = {requests:N0} requests, " +
              $"{reachable} reachable that should not be, {leaks} other-dealership rows");
        foreach (var f in failures) output.WriteLine(f);
        Assert.Empty(failures);
    }

    private static bool IsStaticFile(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor") || Path.HasExtension(e.RoutePattern.RawText?.Split('/').Last() ?? "");

    private static IEnumerable<string> Methods(RouteEndpoint e) =>
        e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET"];

    /// <summary>Route parameters get the other dealership's ids; every page also gets them (and the marker name) as its query.</summary>
    private static string Fill(string pattern, TestCustomer customer, int dealershipId)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*{0,2}(\w+)[^}]*\}", m =>
            m.Groups[1].Value.ToLowerInvariant() switch
            {
                "recordid" => customer.RecordId.ToString(),
                "id" or "customerid" => customer.CustomerId.ToString(),
                _ => customer.CustomerId.ToString(),
            });
        if (!path.StartsWith('/')) path = "/" + path;
        return path.StartsWith("/api/") || path.StartsWith("/hubs/") || path.StartsWith("/_") ? path
            : $"{path}?q={Uri.EscapeDataString(customer.Name)}&dealership={dealershipId}&customer={customer.CustomerId}";
    }

    /// <summary>
    /// Whether a response carries the customer: their marker name or number. The request's own query string, echoed back (the
    /// login page's return URL), is taken out first: it is what the caller sent, not a row.
    /// </summary>
    private static bool Mentions(string body, string markerLast, TestCustomer customer)
    {
        var escaped = Uri.EscapeDataString(customer.Name);
        body = body.Replace(Uri.EscapeDataString(escaped), "").Replace(escaped, "");
        return body.Contains(markerLast, StringComparison.OrdinalIgnoreCase) || body.Contains(customer.Phone[3..]);
    }

    /// <summary>The endpoint's own metadata ([Authorize], RequireAuthorization, [AllowAnonymous]) judged by the app's authorization service.</summary>
    private static async Task<bool> AllowedAsync(Microsoft.AspNetCore.Http.Endpoint endpoint, ClaimsPrincipal principal, IAuthorizationService authorization, IAuthorizationPolicyProvider policies)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return true;
        var data = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        var policy = await AuthorizationPolicy.CombineAsync(policies, data, endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        // The inbound API's policy names its own scheme (a FOCUS token): no cookie identity satisfies it.
        if (policy is null) return true;
        if (policy.AuthenticationSchemes.Count > 0 && !policy.AuthenticationSchemes.Contains(IdentityConstants.ApplicationScheme)) return false;
        return (await authorization.AuthorizeAsync(principal, null, policy)).Succeeded;
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string? userName)
    {
        if (userName is null) return new ClaimsPrincipal(new ClaimsIdentity());
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        return await factory.CreateAsync((await users.FindByNameAsync(userName))!);
    }

    private HubConnection Connect(SignedInClient? client) =>
        new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
        {
            if (client is not null) o.Cookies = client.Cookies;
            o.Transports = HttpTransportType.WebSockets;
        }).Build();

    /// <summary>
    /// Connects to the hub as the identity; while connected, the other dealership's record is locked and released: an identity that
    /// may not see that dealership must receive no event about it.
    /// </summary>
    private async Task<(int Status, string Body)> ConnectHubAsync(SignedInClient? client, int otherRecordId)
    {
        await using var connection = Connect(client);
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        connection.On<global::KonnectLive.Core.Live.LiveEvent>("LiveEvent", e =>
        {
            if (e.RecordId == otherRecordId) received.Enqueue(System.Text.Json.JsonSerializer.Serialize(e));
        });
        try { await connection.StartAsync(); }
        catch (HttpRequestException e) { return ((int?)e.StatusCode ?? 0, ""); }
        // A refused connection is aborted by OnConnectedAsync right after the handshake.
        await Task.Delay(200);
        if (connection.State != HubConnectionState.Connected) return (403, "");
        var locks = app.Service<CallLockService>();
        var holder = await app.ScopeAsync("admin");
        if ((await locks.AcquireAsync(holder, otherRecordId, TestPage.Token)).Succeeded)
            await locks.ReleaseAsync(holder, otherRecordId, TestPage.Token);
        await Task.Delay(300);
        return (200, string.Join("\n", received));
    }

    private async Task<(int Status, string Body)> InvokeHubAsync(SignedInClient? client, MethodInfo method, TestCustomer customer)
    {
        await using var connection = Connect(client);
        try
        {
            await connection.StartAsync();
            var args = method.GetParameters().Select(p => p.ParameterType == typeof(int) ? (object)customer.RecordId : null).ToArray();
            await connection.InvokeCoreAsync(method.Name, args);
            return (200, "");
        }
        catch (HttpRequestException e) { return ((int?)e.StatusCode ?? 0, ""); }
        catch (HubException) { return (403, ""); }
    }

    /// <summary>What the pages' circuits would show the identity: search, customer page and chase list, each asked for the other dealership.</summary>
    private async Task<IEnumerable<string>> PageQueriesLeakAsync(Identity identity, string markerLast, TestCustomer customer, int dealershipId)
    {
        var scope = await app.ScopeAsync(identity.UserName!);
        var leaks = new List<string>();
        var search = await app.Service<ContactLookup>().SearchAsync(scope, markerLast);
        if (search.Total > 0) leaks.Add($"{identity.Label}: search query for the other dealership's customer found {search.Total}");
        if (await app.Service<CustomerProfileService>().GetAsync(scope, customer.CustomerId) is not null)
            leaks.Add($"{identity.Label}: customer profile query returned the other dealership's customer");
        var chase = await app.Service<ChaseListQuery>().GetPageAsync(scope, new ChaseListRequest(0, ChaseListQuery.MaxPageSize, null, dealershipId));
        if (chase.Rows.Any(r => r.CustomerId == customer.CustomerId))
            leaks.Add($"{identity.Label}: chase list query listed the other dealership's customer");
        return leaks;
    }

    private void Print(string line)
    {
        Console.WriteLine(line);
        output.WriteLine(line);
    }
}
