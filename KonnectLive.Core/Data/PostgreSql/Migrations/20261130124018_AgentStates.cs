using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KonnectLive.Core.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class AgentStates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AfterCallWorkAtLimit",
                table: "TelephonySettings",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "ReturnToReady");

            migrationBuilder.AddColumn<int>(
                name: "AfterCallWorkLimitSeconds",
                table: "TelephonySettings",
                type: "integer",
                nullable: false,
                defaultValue: 120);

            migrationBuilder.CreateTable(
                name: "AgentStateIntervals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    AgentName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DealershipId = table.Column<int>(type: "integer", nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReasonId = table.Column<int>(type: "integer", nullable: true),
                    ReasonName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    CallId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OverLimit = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentStateIntervals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotReadyReasons",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotReadyReasons", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AgentStateIntervals_Open",
                table: "AgentStateIntervals",
                column: "UserId",
                unique: true,
                filter: "\"EndedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AgentStateIntervals_State_EndedAt",
                table: "AgentStateIntervals",
                columns: new[] { "State", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AgentStateIntervals_UserId_StartedAt",
                table: "AgentStateIntervals",
                columns: new[] { "UserId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NotReadyReasons_Name",
                table: "NotReadyReasons",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentStateIntervals");

            migrationBuilder.DropTable(
                name: "NotReadyReasons");

            migrationBuilder.DropColumn(
                name: "AfterCallWorkAtLimit",
                table: "TelephonySettings");

            migrationBuilder.DropColumn(
                name: "AfterCallWorkLimitSeconds",
                table: "TelephonySettings");
        }
    }
}
