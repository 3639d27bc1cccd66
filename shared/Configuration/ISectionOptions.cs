namespace Likes.Shared.Configuration;

/// <summary>An options class that knows the configuration section it is bound from.</summary>
public interface ISectionOptions
{
    static abstract string SectionName { get; }
}
