using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.PostgreSql.Migrations
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
                type: "integer",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<string>(
                name: "UndoState",
                table: "CallAttempts",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UndoneAt",
                table: "CallAttempts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UndoneBy",
                table: "CallAttempts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            // As the SQLite migration: chased records whose customer has no number left to call sink below the callable
            // ones (NoNumberToCall), their key moved on by 500 years.
            migrationBuilder.Sql(@"
UPDATE ""SurveyRecords"" r
SET ""ChaseKey"" = r.""ChaseKey"" + interval '500 years'
WHERE r.""ChaseKey"" >= TIMESTAMPTZ '1970-01-01 00:00:00+00' AND r.""ChaseKey"" < TIMESTAMPTZ '2400-01-01 00:00:00+00'
  AND NOT EXISTS (SELECT 1 FROM ""CustomerPhones"" p
                  WHERE p.""CustomerId"" = r.""CustomerId"" AND p.""CallUnsubscribedAt"" IS NULL AND p.""WrongNumberAt"" IS NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
UPDATE ""SurveyRecords"" SET ""ChaseKey"" = ""ChaseKey"" - interval '500 years'
WHERE ""ChaseKey"" >= TIMESTAMPTZ '2400-01-01 00:00:00+00' AND ""ChaseKey"" < TIMESTAMPTZ '3000-01-01 00:00:00+00';");

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
