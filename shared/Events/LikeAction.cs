namespace Likes.Shared.Events;

/// <summary>What a user did to a content. The wire form is one letter: <c>L</c> or <c>U</c>.</summary>
public enum LikeAction : byte
{
    Like = 1,
    Unlike = 2,
}
