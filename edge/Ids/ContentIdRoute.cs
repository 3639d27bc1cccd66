namespace Likes.Edge.Ids;

/// <summary>The <c>{contentId}</c> route value: bound as text so a bad id is a 400 naming it, not a bare binding failure.</summary>
public static class ContentIdRoute
{
    public const string Name = "contentId";

    public const string Template = "{" + Name + "}";

    public static bool TryParse(string? raw, out long contentId, IDictionary<string, string[]> errors)
    {
        if (PositiveId.TryParse(raw, out contentId))
        {
            return true;
        }

        errors[Name] = [PositiveId.Rule];
        return false;
    }
}
