using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class LockToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A lease held while upgrading has no token: no page can renew it, so it lapses within one lease and is swept.
            migrationBuilder.AddColumn<string>(
                name: "LockToken",
                table: "SurveyRecords",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LockToken",
                table: "SurveyRecords");
        }
    }
}
