using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Tests.Core.Data;

/// <summary>The start-up warning while demo accounts exist names every demo API client that still has its published secret.</summary>
public sealed class DemoWarningTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync(seedDemoData: true);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> StartAgainAsync()
    {
        var logger = new CapturingLogger();
        await using var scope = _db.Services.CreateAsyncScope();
        var initializer = ActivatorUtilities.CreateInstance<DatabaseInitializer>(scope.ServiceProvider, (ILogger<DatabaseInitializer>)logger);
        await initializer.InitializeAsync();
        return Assert.Single(logger.Warnings, w => w.Contains("DEMO ACCOUNTS ARE PRESENT"));
    }

    [Fact]
    public async Task InitializeAsync_DemoData_WarningNamesTheFocusAndTheTelephonyDemoClients()
    {
        var warning = await StartAgainAsync();

        Assert.Contains($"'{DatabaseInitializer.DemoApiClientId}'", warning);
        Assert.Contains($"'{DatabaseInitializer.DemoTelephonyClientId}'", warning);
        Assert.Contains("published secrets", warning);
    }

    [Fact]
    public async Task InitializeAsync_FocusDemoSecretRotated_WarningNamesOnlyTheTelephonyDemoClient()
    {
        await using (var db = _db.NewDbContext())
        {
            await db.ApiClients.Where(c => c.ClientId == DatabaseInitializer.DemoApiClientId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.SecretRotatedAt, _db.Now));
        }

        var warning = await StartAgainAsync();

        Assert.DoesNotContain($"'{DatabaseInitializer.DemoApiClientId}'", warning);
        Assert.Contains($"'{DatabaseInitializer.DemoTelephonyClientId}'", warning);
    }

    private sealed class CapturingLogger : ILogger<DatabaseInitializer>
    {
        public List<string> Warnings { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) lock (Warnings) Warnings.Add(formatter(state, exception));
        }
    }
}
