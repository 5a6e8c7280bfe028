using KonnectLive.Core.Inbound;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Data;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The database of <c>Storage:Provider</c>: services always ask for <see cref="KonnectDbContext"/> (scoped, for Identity)
    /// or <see cref="IDbContextFactory{KonnectDbContext}"/> (everything else); on PostgreSQL both hand out a
    /// <see cref="PostgreSqlKonnectDbContext"/>.
    /// </summary>
    public static IServiceCollection AddKonnectLiveStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();

        // The key ring behind the sign-in cookie and antiforgery lives in the database: a cookie issued by one instance is
        // read by another, and a restart signs nobody out. One application name, whatever folder an instance runs from.
        services.AddDataProtection().SetApplicationName("KonnectLive").PersistKeysToDbContext<KonnectDbContext>();

        if (storage.Provider == StorageProvider.PostgreSql)
        {
            var connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    $"Storage:Provider is PostgreSQL but ConnectionStrings:{StorageOptions.ConnectionStringName} is empty. " +
                    "Set it, e.g. \"Host=127.0.0.1;Port=5432;Database=konnectlive;Username=konnectlive;Password=…\".");
            services.AddDbContextFactory<PostgreSqlKonnectDbContext>(o => o.UseNpgsql(connectionString));
            services.AddSingleton<IDbContextFactory<KonnectDbContext>, UpcastFactory<PostgreSqlKonnectDbContext>>();
            services.AddScoped<KonnectDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PostgreSqlKonnectDbContext>>().CreateDbContext());
            services.AddSingleton<IIngestSerialiser, PostgreSqlIngestSerialiser>();
            return services;
        }

        var sqlite = storage.SqliteConnectionString();
        void Configure(DbContextOptionsBuilder o) => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmaInterceptor());
        // Blazor components use the factory (a short-lived context per operation); Identity's stores use the scoped context.
        services.AddDbContext<KonnectDbContext>(Configure, optionsLifetime: ServiceLifetime.Singleton);
        services.AddDbContextFactory<KonnectDbContext>(Configure);
        services.AddSingleton<IIngestSerialiser, InProcessIngestSerialiser>();
        return services;
    }

    private sealed class UpcastFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<KonnectDbContext>
        where TContext : KonnectDbContext
    {
        public KonnectDbContext CreateDbContext() => inner.CreateDbContext();
        public async Task<KonnectDbContext> CreateDbContextAsync(CancellationToken ct = default) => await inner.CreateDbContextAsync(ct);
    }
}
