using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Likes.Shared.Events;

/// <summary>
/// The wire format of <see cref="LikeEvent"/>: compact JSON so that <c>nats sub</c> shows it as is.
/// <code>{"v":1,"id":"0193…","u":42,"c":7,"a":"L","t":1764000000123}</code>
/// Version 1 is the only version; a decoder meeting another says so instead of guessing. An action without a user
/// (a content deletion) or without a content (erase, hide, show) carries 0 there (<see cref="LikeActions"/>).
/// </summary>
public static class LikeEventCodec
{
    public const int CurrentVersion = 1;

    /// <summary>Decoded events are small; anything larger is garbage, not an event.</summary>
    public const int MaxEncodedBytes = 512;

    /// <summary>The last millisecond a <see cref="DateTimeOffset"/> (and so a like time) can hold: 9999-12-31.</summary>
    public const long MaxAcceptedAtMs = 253_402_300_799_999;

    public static byte[] Encode(in LikeEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", CurrentVersion);
            w.WriteString("id", e.EventId.ToString("N"));
            w.WriteNumber("u", e.UserId);
            w.WriteNumber("c", e.ContentId);
            w.WriteString("a", e.Action.Letter().ToString());
            w.WriteNumber("t", e.AcceptedAtMs);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one event, or says in <paramref name="reason"/> why the bytes are not one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out LikeEvent value, out string reason)
    {
        value = default;
        if (bytes.IsEmpty)
        {
            reason = "empty payload";
            return false;
        }

        if (bytes.Length > MaxEncodedBytes)
        {
            reason = $"payload of {bytes.Length} bytes exceeds {MaxEncodedBytes}";
            return false;
        }

        try
        {
            return TryRead(bytes, out value, out reason);
        }
        catch (JsonException ex)
        {
            reason = $"malformed json: {ex.Message}";
            return false;
        }
        catch (FormatException ex)
        {
            reason = $"malformed field: {ex.Message}";
            return false;
        }
        catch (InvalidOperationException ex)
        {
            reason = $"malformed field: {ex.Message}";
            return false;
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> bytes, out LikeEvent value, out string reason)
    {
        value = default;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 2 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reason = "not a json object";
            return false;
        }

        int? version = null;
        Guid? id = null;
        long? user = null, content = null, at = null;
        LikeAction? action = null;

        // Names and values are compared as UTF-8 where they sit: decoding runs once per event in every worker.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader);
            if (!reader.Read())
            {
                break;
            }

            switch (field)
            {
                case 'v': version = reader.GetInt32(); break;
                case 'i': id = ReadId(ref reader); break;
                case 'u': user = reader.GetInt64(); break;
                case 'c': content = reader.GetInt64(); break;
                case 't': at = reader.GetInt64(); break;
                case 'a': action = ReadAction(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            reason = "trailing or truncated json";
            return false;
        }

        if (version is null)
        {
            reason = "missing field 'v'";
            return false;
        }

        if (version != CurrentVersion)
        {
            reason = $"unknown version {version}";
            return false;
        }

        reason = (id, action, at) switch
        {
            (null, _, _) => "missing field 'id'",
            (_, null, _) => "missing field 'a'",
            (_, _, null or <= 0 or > MaxAcceptedAtMs) => "field 't' must be unix milliseconds of a date before the year 10000",
            (_, { } a, _) when a.HasUser() && user is not > 0 => "field 'u' must be a positive 64-bit integer",
            (_, { } a, _) when !a.HasUser() && user is not (null or 0) => $"field 'u' must be 0 for action '{a.Letter()}'",
            (_, { } a, _) when a.HasContent() && content is not > 0 => "field 'c' must be a positive 64-bit integer",
            (_, { } a, _) when !a.HasContent() && content is not (null or 0) => $"field 'c' must be 0 for action '{a.Letter()}'",
            _ => string.Empty,
        };
        if (reason.Length > 0)
        {
            return false;
        }

        value = new LikeEvent(id!.Value, user ?? 0, content ?? 0, action!.Value, at!.Value);
        return true;
    }

    /// <summary>Which field a property name is ('i' for "id"), or '\0' for one this version does not know.</summary>
    private static char Field(ref Utf8JsonReader reader)
    {
        // An escaped name ("\u0075" for "u") is unescaped first; the encoder never writes one.
        ReadOnlySpan<byte> name = reader.ValueIsEscaped || reader.HasValueSequence
            ? System.Text.Encoding.UTF8.GetBytes(reader.GetString() ?? string.Empty)
            : reader.ValueSpan;
        return name switch
        {
            [(byte)'v'] => 'v',
            [(byte)'i', (byte)'d'] => 'i',
            [(byte)'u'] => 'u',
            [(byte)'c'] => 'c',
            [(byte)'a'] => 'a',
            [(byte)'t'] => 't',
            _ => '\0',
        };
    }

    private static Guid ReadId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            && Utf8Parser.TryParse(reader.ValueSpan, out Guid id, out var used, 'N') && used == reader.ValueSpan.Length)
        {
            return id;
        }

        // Escaped, or not 32 hex digits: the slow path says what is wrong.
        return Guid.ParseExact(reader.GetString() ?? string.Empty, "N");
    }

    private static LikeAction ReadAction(ref Utf8JsonReader reader)
    {
        // The unescaped letter is read in place; an escaped one (any JSON writer may escape) is unescaped first.
        if (reader.TokenType == JsonTokenType.String
            && (reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString() is [var c] && LikeActions.TryParse(c, out var action)
                : reader.ValueSpan is [var b] && LikeActions.TryParse((char)b, out action)))
        {
            return action;
        }

        throw new FormatException($"unknown action '{reader.GetString()}'");
    }
}
