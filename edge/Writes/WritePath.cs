namespace Likes.Edge.Writes;

/// <summary><c>Edge:WritePath</c>: what makes a like or unlike durable before the edge answers.</summary>
public enum WritePath
{
    /// <summary>The event stream: the edge answers once JetStream acked the event; the daemons apply it.</summary>
    Stream,

    /// <summary>
    /// PostgreSQL, synchronously: each request writes its row and moves the count row in one transaction and answers
    /// after the commit, the design most like services use. The benchmarks' peer baseline; needs <c>Edge:ReadSource</c>
    /// postgres (nothing reaches Redis).
    /// </summary>
    Postgres,

    /// <summary>
    /// Nothing: every valid write is answered 202 and dropped. The benchmarks' ceiling of the HTTP front (Kestrel, JWT,
    /// validation, rate limit) without a write path; refused outside Development.
    /// </summary>
    Discard,
}
