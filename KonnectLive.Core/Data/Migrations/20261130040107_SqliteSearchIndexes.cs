using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SqliteSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Name and registration "contains" search from an index (FTS5 trigram), see SqliteSearchIndex.
            migrationBuilder.Sql(SqliteSearchIndex.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteSearchIndex.Drop);
        }
    }
}
