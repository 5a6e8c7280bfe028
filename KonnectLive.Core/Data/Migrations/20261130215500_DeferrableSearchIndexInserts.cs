using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeferrableSearchIndexInserts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The FTS5 insert triggers stand aside while the ingest fills the index for a whole table's new rows in one
            // statement (see SqliteSearchIndex.DeferrableInsertTriggers). No model change: the deferral table is SQLite's own.
            migrationBuilder.Sql(SqliteSearchIndex.DeferrableInsertTriggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteSearchIndex.PlainInsertTriggers);
        }
    }
}
