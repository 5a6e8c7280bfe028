using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using KonnectLive.Tests.Browser;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Figures;

/// <summary>
/// The accessibility figure: axe-core on every page of the app's route table, in every role that can reach it (admin,
/// supervisor, a dealership agent, a head-office agent; the log-in pages signed out) → 0 serious, 0 critical violations,
/// with the Content-Security-Policy figure from the same visits. Then a keyboard-only walk of the agent's loop: chase list
/// → Open → outcome → Confirm, no mouse.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityFigureTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private AppFixture App => fixture.App;

    /// <summary>
    /// Violations that come from MudBlazor's own markup and cannot be fixed from ours: rule id and the exact selector axe
    /// reports. Each says why. Keep this list short; a new entry needs a reason a reviewer can check.
    /// </summary>
    private static readonly (string Rule, string Selector, string Why)[] Excluded = [];

    /// <summary>The WCAG 2.0/2.1 level A and AA rules: what "accessible" is measured against here (best-practice rules are
    /// left to review; they were half of axe's time).</summary>
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private sealed record PageRoute(string Route, RouteEndpoint Endpoint, bool Static);

    private IReadOnlyList<PageRoute> PageRoutes() =>
        [.. App.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Type: e.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type))
            .Where(x => x.Type is not null)
            .Select(x => new PageRoute("/" + x.Endpoint.RoutePattern.RawText!.TrimStart('/'), x.Endpoint,
                // Server-rendered pages (log in, two-factor, errors): a full page load, the same markup whoever asks.
                x.Type!.IsDefined(typeof(ExcludeFromInteractiveRoutingAttribute), inherit: true)))
            .DistinctBy(p => p.Route).OrderBy(p => p.Route, StringComparer.Ordinal)];

    /// <summary>
    /// One visit per page × role checks both figures: axe-core (WCAG A/AA rules) → 0 serious, 0 critical; and the
    /// Content-Security-Policy → 0 violations. Each role signs in once and moves between its pages inside its circuit
    /// (Blazor's own navigation, as a click on the menu does); server-rendered pages, the same for everyone, are loaded and
    /// checked once. Which pages a role can open is asked of the app's own authorization policies, so a denied page costs
    /// no visit (the access sweep proves the denials).
    /// </summary>
    [Fact]
    public async Task EveryPage_InEveryRoleThatReachesIt_ZeroSeriousOrCriticalAxeViolations_ZeroCspViolations()
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        var shop = await App.NewDealershipAsync("Axe", customers: 4);
        var dealerAgent = await App.NewAgentAsync("Ada Axe", shop.Id);
        var officeAgent = await App.NewAgentAsync("Hugo Axe", null);
        var twoFactorUser = await App.NewAgentAsync("Tess Axe", null); // reaches the code page after her password
        await EnableTwoFactorAsync(twoFactorUser.UserId);
        var routes = PageRoutes();
        Assert.Contains(routes, r => r.Route == "/csi/chase-list");
        var axeScript = new BundledAxeScriptProvider().GetScript();

        var checkedPages = 0;
        var serious = 0;
        var critical = 0;
        var failures = new List<string>();
        var csp = new ConcurrentQueue<string>();
        var cspPages = new HashSet<string>();
        var staticChecked = new HashSet<string>();
        string? engine = null;
        var times = new Dictionary<string, TimeSpan>();
        async Task<T> Timed<T>(string step, Func<Task<T>> action)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try { return await action(); }
            finally { times[step] = times.GetValueOrDefault(step) + watch.Elapsed; }
        }
        Task Step(string step, Func<Task> action) => Timed(step, async () => { await action(); return 0; });

        async Task WatchCspAsync(IPage page)
        {
            page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy")) csp.Enqueue($"{page.Url}: {m.Text}"); };
            await page.AddInitScriptAsync(
                "document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
        }

        async Task LoadAsync(IPage page, string path, bool interactive)
        {
            var response = await Timed("navigation", () => page.GotoAsync(path));
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));
            if (interactive) await Step("circuit start", () => page.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached }));
        }

        async Task CheckAsync(IPage page, string role, string path, bool wholeDocument)
        {
            await Step("waiting", () => SettledAsync(page));
            // axe once per document (kept across in-circuit navigations), run directly: RunAxe re-injects it and finishes each
            // run in a new blank page, which cost more than the checks themselves.
            if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await Step("axe inject", () => page.EvaluateAsync(axeScript));
            // The whole document when it is loaded (layout, menu, app bar: what the role sees around every page); after an
            // in-circuit navigation only what the navigation changed: the page in <main> and MudBlazor's overlays.
            var json = await Timed("axe run", () => page.EvaluateAsync<string>(
                """
                async ([tags, whole]) => {
                    const parts = ['main', '.mud-popover-provider', '.mud-snackbar-provider', '.mud-dialog-container'].filter(s => document.querySelector(s));
                    const context = whole ? document : { include: parts.map(s => [s]) };
                    return JSON.stringify(await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }));
                }
                """, new object[] { WcagTags, wholeDocument }));
            using var result = JsonDocument.Parse(json);
            engine ??= $"{result.RootElement.GetProperty("testEngine").GetProperty("name").GetString()} {result.RootElement.GetProperty("testEngine").GetProperty("version").GetString()}";
            checkedPages++;
            cspPages.Add(path);
            foreach (var violation in result.RootElement.GetProperty("violations").EnumerateArray())
            {
                var impact = violation.GetProperty("impact").GetString();
                if (impact is not ("serious" or "critical")) continue;
                var id = violation.GetProperty("id").GetString();
                foreach (var node in violation.GetProperty("nodes").EnumerateArray())
                {
                    var target = node.GetProperty("target").ToString();
                    if (Excluded.Any(x => x.Rule == id && x.Selector == target)) continue;
                    if (impact == "serious") serious++; else critical++;
                    failures.Add($"{impact} {id} on {path} as {role}: {target} — {violation.GetProperty("help").GetString()}\n    {node.GetProperty("html").GetString()}");
                }
            }
        }

        // Signed out: the server-rendered pages anyone can open; the code page after a right password of a two-factor user.
        await using (var anonymous = await fixture.Browser.NewContextAsync(new() { BaseURL = App.BaseAddress.ToString() }))
        {
            var page = await anonymous.NewPageAsync();
            await WatchCspAsync(page);
            foreach (var route in routes.Where(r => r.Static && r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && r.Route != "/account/login-2fa"))
            {
                await LoadAsync(page, route.Route, interactive: false);
                await CheckAsync(page, "signed out", route.Route, wholeDocument: true);
                staticChecked.Add(route.Route);
            }
            await LoadAsync(page, "/account/login", interactive: false);
            await page.GetByLabel("User name").FillAsync(twoFactorUser.UserName);
            await page.GetByLabel("Password").FillAsync(DemoData.Password);
            await Step("navigation", () => page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync());
            await Expect(page).ToHaveURLAsync(new Regex("/account/login-2fa"));
            await CheckAsync(page, "signed out", "/account/login-2fa", wholeDocument: true);
            staticChecked.Add("/account/login-2fa");
        }

        // Each role its own customer, so one role's open calling page never shows another role as holding the lock.
        var roles = new (string Role, string UserName, TestCustomer Customer)[]
        {
            ("admin", "admin", shop.Customers[0]),
            ("supervisor", "supervisor", shop.Customers[1]),
            ("dealership agent", dealerAgent.UserName, shop.Customers[2]),
            ("head-office agent", officeAgent.UserName, shop.Customers[3]),
        };
        var planned = staticChecked.Count;
        foreach (var (role, userName, customer) in roles)
        {
            var reachable = await ReachableAsync(userName, routes);
            await using var context = await Timed("sign in", () => SignedInContextAsync(userName));
            var page = await context.NewPageAsync();
            await WatchCspAsync(page);
            await LoadAsync(page, "/", interactive: true); // the circuit every in-app navigation below runs in
            var loaded = true;
            // In-app pages first, in one circuit; then the server-rendered ones, each a page load of its own.
            foreach (var route in reachable.OrderBy(r => r.Static))
            {
                var path = route.Route switch
                {
                    "/csi/call/{RecordId:int}" => $"/csi/call/{customer.RecordId}",
                    "/customers/{Id:int}" => $"/customers/{customer.CustomerId}",
                    _ when route.Route.Contains('{') => throw new InvalidOperationException($"A page with a route parameter needs a value here: {route.Route}"),
                    _ => route.Route,
                };
                if (route.Static)
                {
                    if (!staticChecked.Add(path)) continue; // the same markup for every role: checked once
                    planned++;
                    await LoadAsync(page, path, interactive: false);
                    await CheckAsync(page, role, path, wholeDocument: true);
                    continue;
                }
                planned++;
                await Step("navigation", () => NavigateInCircuitAsync(page, path));
                await CheckAsync(page, role, path, wholeDocument: loaded);
                loaded = false;
                if (path.StartsWith("/csi/call/")) await Step("navigation", () => NavigateInCircuitAsync(page, "/")); // gives the customer back
            }
        }

        Report($"accessibility: {checkedPages} page×role checks (WCAG A/AA) by {engine}, {serious} serious, {critical} critical"
            + (Excluded.Length > 0 ? $" ({Excluded.Length} MudBlazor rule+selector exclusions, see the test)" : ""));
        Report($"csp: {cspPages.Count} pages in {roles.Length + 1} roles, {csp.Count} violations");
        output.WriteLine($"sweep {total.Elapsed.TotalSeconds:F1} s: " + string.Join(", ", times.Select(t => $"{t.Key} {t.Value.TotalSeconds:F1} s")));
        Console.WriteLine($"sweep {total.Elapsed.TotalSeconds:F1} s: " + string.Join(", ", times.Select(t => $"{t.Key} {t.Value.TotalSeconds:F1} s")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(csp.IsEmpty, string.Join("\n", csp));
        Assert.Equal(planned, checkedPages);
        Assert.True(cspPages.Count >= routes.Count, $"only {cspPages.Count} of {routes.Count} pages visited: " + string.Join(", ", cspPages.Order()));
    }

    /// <summary>A browser profile holding the cookie of a sign-in through the real log-in form, made over HTTP: the browser's
    /// own sign-in is tested elsewhere, and loading the log-in and home pages for it took a fifth of this sweep.</summary>
    private async Task<IBrowserContext> SignedInContextAsync(string userName)
    {
        using var signedIn = await App.SignInAsync(userName);
        var context = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        await context.AddCookiesAsync(signedIn.Cookies.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Url = App.BaseAddress.ToString(), HttpOnly = c.HttpOnly, SameSite = SameSiteAttribute.Lax,
        }));
        return context;
    }

    /// <summary>The pages <paramref name="userName"/> may open, asked of the app's own authorization policies (anonymous
    /// pages are everyone's; the log-in pages are for the signed-out).</summary>
    private async Task<IReadOnlyList<PageRoute>> ReachableAsync(string userName, IReadOnlyList<PageRoute> routes)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>()
            .CreateAsync((await users.FindByNameAsync(userName))!);
        var policies = scope.ServiceProvider.GetRequiredService<IAuthorizationPolicyProvider>();
        var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
        var reachable = new List<PageRoute>();
        foreach (var route in routes.Where(r => r.Route is not ("/account/login" or "/account/login-2fa")))
        {
            var policy = await AuthorizationPolicy.CombineAsync(policies, route.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>());
            if (policy is null || route.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || (await authorization.AuthorizeAsync(principal, policy)).Succeeded)
                reachable.Add(route);
        }
        return reachable;
    }

    private async Task EnableTwoFactorAsync(string userId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
    }

    /// <summary>Blazor's own navigation inside the circuit (what a menu click does), then the new page's heading.</summary>
    private static async Task NavigateInCircuitAsync(IPage page, string path)
    {
        if (new Uri(page.Url).AbsolutePath == path) return; // already there (the home page the circuit started on)
        await page.EvaluateAsync("() => document.querySelectorAll('h1').forEach(h => h.dataset.sweepSeen = '1')");
        await page.EvaluateAsync("p => Blazor.navigateTo(p)", path);
        try
        {
            await page.WaitForFunctionAsync(
                "p => location.pathname === p && [...document.querySelectorAll('h1')].some(h => !h.dataset.sweepSeen)", path,
                new() { Timeout = 30_000, PollingInterval = 25 });
        }
        catch (TimeoutException e)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "failure-sweep" + path.Replace('/', '-') + ".png") });
            throw new TimeoutException($"{path}: no new heading within 30 s (now at {page.Url})", e);
        }
    }

    /// <summary>What axe should see: the page's data, not its loading bar (at most 5 s; a page still loading is checked as it is).</summary>
    private static async Task SettledAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "() => !document.querySelector('.mud-progress-linear .mud-progress-linear-bars, .mud-progress-indeterminate')",
                null, new() { Timeout = 5_000, PollingInterval = 25 });
        }
        catch (TimeoutException) { }
    }

    [Fact]
    public async Task KeyboardOnly_OpenOutcomeConfirm_RecordsTheCall()
    {
        var shop = await App.NewDealershipAsync("Keyboard", customers: 2);
        var customer = shop.Customers[0];
        var agent = await App.NewAgentAsync("Kay Board", shop.Id);
        await using var session = await fixture.SignInAsync(agent.UserName);
        var page = session.Page;
        await session.GotoAsync("/csi/chase-list");
        var presses = 0;

        // Tab to the customer's Open button, as a keyboard user would, then Enter.
        var openName = $"Open {customer.Name}";
        for (var tabs = 0; ; tabs++)
        {
            Assert.True(tabs < 150, $"{openName} not reached with 150 Tab presses");
            await page.Keyboard.PressAsync("Tab");
            presses++;
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('aria-label')") == openName) break;
        }
        await page.Keyboard.PressAsync("Enter");
        presses++;
        await session.WaitForUrlOrScreenshotAsync($"/csi/call/{customer.RecordId}", "failure-keyboard-open");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(customer.Name);
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.pageKeys || 0) === 1");

        // The outcome by its number (the "?" legend lists the keys), then Enter confirms.
        await page.Keyboard.PressAsync("3");
        presses++;
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Confirm {DatabaseInitializer.NoAnswerOutcome}" })).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Enter");
        presses++;
        await session.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-keyboard-confirm");

        await using var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var attempt = Assert.Single(await db.CallAttempts.AsNoTracking().Where(a => a.SurveyRecordId == customer.RecordId).ToArrayAsync());
        Assert.Equal(agent.UserId, attempt.AgentId);
        Report($"keyboard: Open → outcome → Confirm with {presses} key presses, no mouse");
    }

    /// <summary>The figure line: on the console (so ./test.sh shows it, as the other figures) and in the test's own output.</summary>
    private void Report(string line)
    {
        Console.WriteLine(line);
        output.WriteLine(line);
    }
}
