using System.ComponentModel.DataAnnotations;

namespace Likes.Shared.Configuration;

public sealed class PostgresOptions : ISectionOptions
{
    public static string SectionName => "Postgres";

    [Required]
    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=5432;Database=likes;Username=likes;Password=likes";
}
