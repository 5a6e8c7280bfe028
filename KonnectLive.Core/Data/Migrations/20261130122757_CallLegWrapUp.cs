using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CallLegWrapUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CallAttemptId",
                table: "CallLegs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallLegs_CallAttemptId",
                table: "CallLegs",
                column: "CallAttemptId",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_CallLegs_CallAttempts_CallAttemptId",
                table: "CallLegs",
                column: "CallAttemptId",
                principalTable: "CallAttempts",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CallLegs_CallAttempts_CallAttemptId",
                table: "CallLegs");

            migrationBuilder.DropIndex(
                name: "IX_CallLegs_CallAttemptId",
                table: "CallLegs");

            migrationBuilder.DropColumn(
                name: "CallAttemptId",
                table: "CallLegs");
        }
    }
}
