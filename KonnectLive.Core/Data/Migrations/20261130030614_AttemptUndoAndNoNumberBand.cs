using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AttemptUndoAndNoNumberBand : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "UndoMinutes",
                table: "CsiSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<string>(
                name: "UndoState",
                table: "CallAttempts",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UndoneAt",
                table: "CallAttempts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UndoneBy",
                table: "CallAttempts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            // Chased records whose customer has no number left to call sink below the callable ones (NoNumberToCall):
            // the key's year moves on by 500, the rest of the stored text unchanged.
            migrationBuilder.Sql(@"
UPDATE SurveyRecords
SET ChaseKey = printf('%04d', CAST(substr(ChaseKey, 1, 4) AS INTEGER) + 500) || substr(ChaseKey, 5)
WHERE ChaseKey >= '1970-01-01' AND ChaseKey < '2400-01-01'
  AND NOT EXISTS (SELECT 1 FROM CustomerPhones p
                  WHERE p.CustomerId = SurveyRecords.CustomerId AND p.CallUnsubscribedAt IS NULL AND p.WrongNumberAt IS NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
UPDATE SurveyRecords
SET ChaseKey = printf('%04d', CAST(substr(ChaseKey, 1, 4) AS INTEGER) - 500) || substr(ChaseKey, 5)
WHERE ChaseKey >= '2400-01-01' AND ChaseKey < '3000-01-01';");

            migrationBuilder.DropColumn(
                name: "UndoMinutes",
                table: "CsiSettings");

            migrationBuilder.DropColumn(
                name: "UndoState",
                table: "CallAttempts");

            migrationBuilder.DropColumn(
                name: "UndoneAt",
                table: "CallAttempts");

            migrationBuilder.DropColumn(
                name: "UndoneBy",
                table: "CallAttempts");
        }
    }
}
