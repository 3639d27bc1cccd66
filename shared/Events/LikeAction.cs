namespace Likes.Shared.Events;

/// <summary>
/// What an event does, with its one-letter wire form. Like and unlike change one (user, content) pair; the others are
/// barriers, applied in stream order between the pair changes around them: erase, hide and show change every like of
/// one user (on the user's partition, so after all their earlier writes and before later ones), a content deletion
/// marker stands on every partition.
/// </summary>
public enum LikeAction : byte
{
    /// <summary><c>L</c>: the user likes the content.</summary>
    Like = 1,

    /// <summary><c>U</c>: the user no longer likes the content.</summary>
    Unlike = 2,

    /// <summary><c>E</c>: every like of the user is erased (GDPR article 17). No content.</summary>
    Erase = 3,

    /// <summary><c>H</c>: the user's likes become private: left out of every likers list. No content.</summary>
    Hide = 4,

    /// <summary><c>S</c>: the user's likes are shown in likers lists again. No content.</summary>
    Show = 5,

    /// <summary><c>D</c>: the content is deleted; one marker on each partition. No user.</summary>
    DeleteContent = 6,
}

public static class LikeActions
{
    /// <summary>The wire letter of each action, and back.</summary>
    private static readonly (LikeAction Action, char Letter)[] Letters =
    [
        (LikeAction.Like, 'L'), (LikeAction.Unlike, 'U'), (LikeAction.Erase, 'E'),
        (LikeAction.Hide, 'H'), (LikeAction.Show, 'S'), (LikeAction.DeleteContent, 'D'),
    ];

    public static char Letter(this LikeAction action) => Letters.First(l => l.Action == action).Letter;

    public static bool TryParse(char letter, out LikeAction action)
    {
        foreach (var (a, l) in Letters)
        {
            if (l == letter)
            {
                action = a;
                return true;
            }
        }

        action = default;
        return false;
    }

    /// <summary>A like or an unlike: the event changes one (user, content) pair.</summary>
    public static bool ChangesAPair(this LikeAction action) => action is LikeAction.Like or LikeAction.Unlike;

    /// <summary>Whether the event names a user (all but a content deletion) and a content (likes, unlikes, deletions).</summary>
    public static bool HasUser(this LikeAction action) => action != LikeAction.DeleteContent;

    public static bool HasContent(this LikeAction action) => action is LikeAction.Like or LikeAction.Unlike or LikeAction.DeleteContent;
}
