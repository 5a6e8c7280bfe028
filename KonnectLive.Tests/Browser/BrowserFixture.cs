using KonnectLive.Tests.Infrastructure;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KonnectLive.Tests.Browser;

/// <summary>Its own running app (locks and leases are watched here) and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public AppFixture App { get; } = new();
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are kept: artifacts/screenshots at the repository root (or $KL_SCREENSHOTS).</summary>
    public static string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("KL_SCREENSHOTS")
        ?? Path.Combine(RepositoryRoot.Path, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)App).InitializeAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // Live updates arrive in well under a second; the margin is for a loaded CI machine, not for slowness we accept.
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("KL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    /// <summary>A fresh browser profile signed in as <paramref name="userName"/> through the login form.</summary>
    public async Task<AgentSession> SignInAsync(string userName)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        // Signing in is tested on its own (AccessBrowserTests, PermissionTests); here it is set-up, so one slow
        // attempt on a loaded machine is retried once, with a screenshot kept of what the first attempt showed.
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync("/account/login");
            await page.GetByLabel("User name").FillAsync(userName);
            await page.GetByLabel("Password").FillAsync(global::KonnectLive.Core.Data.DemoData.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            try
            {
                // Polled, not waited for as an event: see AgentSession.WaitForUrlOrScreenshotAsync.
                await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 15_000 });
                return new AgentSession(context, page);
            }
            catch (PlaywrightException) when (attempt == 1)
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, $"failure-sign-in-{userName}.png") });
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await ((IAsyncLifetime)App).DisposeAsync();
    }
}

public sealed record AgentSession(IBrowserContext Context, IPage Page) : IAsyncDisposable
{
    /// <summary>Goes to a page and waits until its circuit is live, so clicks reach the server.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    public Task WaitInteractiveAsync() =>
        Page.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>How long a click may take to land on its next page (the contexts' default timeout).</summary>
    public const float NavigationTimeout = 30_000;

    /// <summary>
    /// Waits until the page's address ends with <paramref name="pathAndQuery"/> ("/csi/call/12?dealership=3"); on failure
    /// keeps a screenshot of what the agent saw, for the CI log's reader.
    /// <para>
    /// The address is polled (<c>Expect(page).ToHaveURLAsync</c>), never waited for with <c>Page.WaitForURLAsync</c>:
    /// that checks <c>Page.Url</c> and only then subscribes to the frame's "navigated" event, and the event is delivered on
    /// Playwright's connection thread. A Blazor navigation (NavigateTo) is a same-document history.pushState that raises
    /// that event exactly once, so when it lands between the check and the subscription the wait never hears of it and
    /// times out although the page is already there (microsoft/playwright-dotnet#3364).
    /// </para>
    /// </summary>
    public async Task WaitForUrlOrScreenshotAsync(string pathAndQuery, string screenshotName)
    {
        try
        {
            await Assertions.Expect(Page).ToHaveURLAsync(UrlEndingWith(pathAndQuery), new() { Timeout = NavigationTimeout });
        }
        catch (PlaywrightException)
        {
            await ScreenshotAsync(screenshotName);
            throw;
        }
    }

    /// <summary>The address ends with <paramref name="pathAndQuery"/>; a <c>*</c> in it (a glob, as in <c>**/csi/chase-list</c>) stands for any text.</summary>
    public static Regex UrlEndingWith(string pathAndQuery) =>
        new(Regex.Escape(pathAndQuery.TrimStart('*')).Replace(@"\*", ".*") + "$");

    public ILocator Row(int recordId) => Page.Locator($"tr:has([data-record-id='{recordId}'])");

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = false });

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}

/// <summary>One browser test at a time (they share one Chromium and one app), beside the other collections: it is the
/// longest collection and starts first (<see cref="Infrastructure.LongestFirstCollectionOrderer"/>). Timing-sensitive
/// steps wait for what the user would see, bounded, never for a fixed sleep, so a busy neighbour slows them without
/// failing them.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
