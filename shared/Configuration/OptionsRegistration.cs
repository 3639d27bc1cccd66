using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likes.Shared.Configuration;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from its section and validates it at start, so a bad setting stops the
    /// process at boot with a message naming the key instead of misbehaving later.
    /// </summary>
    public static OptionsBuilder<T> AddSectionOptions<T>(this IServiceCollection services)
        where T : class, ISectionOptions
    {
        return services.AddOptions<T>()
            .BindConfiguration(T.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>The validated options value, for singletons built once at start.</summary>
    public static T GetOptions<T>(this IServiceProvider services)
        where T : class
        => services.GetRequiredService<IOptions<T>>().Value;
}
