using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TelephonyClickToDialSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TelephonySettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    DialEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    OriginateUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ProtectedApiKey = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ApiKeyHeader = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DialTimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelephonySettings", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TelephonySettings");
        }
    }
}
