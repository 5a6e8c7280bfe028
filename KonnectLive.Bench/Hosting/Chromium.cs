using KonnectLive.Core.Data;
using Microsoft.Playwright;

namespace KonnectLive.Bench.Hosting;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), with the flags the tests use.</summary>
public sealed class Chromium : IAsyncDisposable
{
    private IPlaywright _playwright = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static async Task<Chromium> LaunchAsync()
    {
        var c = new Chromium { _playwright = await Playwright.CreateAsync() };
        c.Browser = await c._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("KL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                // Background tabs must keep running their timers and observers like a visible one.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            ],
        });
        return c;
    }

    /// <summary>A fresh browser profile signed in through the log-in form.</summary>
    public async Task<IBrowserContext> SignInAsync(Uri app, string userName)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await page.CloseAsync();
        return context;
    }

    /// <summary>Opens the chase list and waits until its circuit is interactive and its first rows are drawn.</summary>
    public static async Task<IPage> OpenChaseListAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await GotoChaseListAsync(page);
        return page;
    }

    public static async Task GotoChaseListAsync(IPage page)
    {
        await page.GotoAsync("/csi/chase-list");
        await WaitChaseListAsync(page);
    }

    public static async Task WaitChaseListAsync(IPage page)
    {
        await page.Locator("#circuit-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid='customer-name']").First.WaitForAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
