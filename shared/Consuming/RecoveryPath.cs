namespace Likes.Shared.Consuming;

/// <summary>How the loop came to apply events from the stream instead of from a delivery (a metric label).</summary>
public enum RecoveryPath
{
    /// <summary>Delivered to a previous owner that died before acking them: redelivered only after AckWait, so read first.</summary>
    Held,

    /// <summary>Above the position and below the first event delivered: handed to someone else, or passed over by the server.</summary>
    Gap,

    /// <summary>Still in the stream after an idle fetch came back empty: passed over by the server.</summary>
    Idle,

    /// <summary>
    /// A batch holding events redelivered above the position (a previous owner's, after AckWait): redeliveries come in
    /// the order their AckWait ran out, with held events not yet due between them and the new events after them.
    /// </summary>
    Redelivered,
}
