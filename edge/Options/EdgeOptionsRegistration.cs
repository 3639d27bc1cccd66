using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Options;

public static class EdgeOptionsRegistration
{
    public static IServiceCollection AddEdgeOptions(this IServiceCollection services)
    {
        services.AddSectionOptions<EdgeOptions>();
        services.AddSingleton<IPostConfigureOptions<EdgeOptions>, DevelopmentJwtKey>();
        services.AddSingleton<IValidateOptions<EdgeOptions>, JwtKeyValidation>();
        services.AddSingleton<IValidateOptions<EdgeOptions>, WritePathValidation>();
        return services;
    }
}
