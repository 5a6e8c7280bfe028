using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeclineReasonProposals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MergedIntoId",
                table: "DeclineReasons",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposedById",
                table: "DeclineReasons",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "DeclineReasons",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Every reason that existed before proposals did is approved: admins made them, or agents under the old rule.
                defaultValue: "Approved");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "DeclineReasons");

            migrationBuilder.DropColumn(
                name: "ProposedById",
                table: "DeclineReasons");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "DeclineReasons");
        }
    }
}
