using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KonnectLive.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KonnectDbContext>
{
    public KonnectDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KonnectDbContext>().UseSqlite("Data Source=design.db").Options);
}
