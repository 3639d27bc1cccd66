using Likes.Admin;
using Likes.Admin.Access;
using Likes.Admin.Tokens;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Microsoft.Extensions.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;

// likes-admin: the one-shot operations a deployment runs before the daemons (the Helm pre-upgrade hook,
// `./likes up`): `migrate` applies the database migrations, `logins` lets the daemons' roles log in with
// their passwords, `streams` provisions JetStream, `all` does the three; `access` writes the NATS and Redis
// permissions of every daemon (docs/security.md); `token` prints a development token for the local stack. And one
// operation: `delete-content <id>` publishes a content's deletion, as the edge's DELETE /v1/contents/{id} does.
var command = args.FirstOrDefault() ?? "all";
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddLikesEnvironment().Build();
T Bind<T>() where T : ISectionOptions, new()
{
    var o = new T();
    configuration.GetSection(T.SectionName).Bind(o);
    return o;
}

if (command == "access")
{
    return AccessCommand.Run(args[1..], Bind<StreamOptions>(), Bind<RedisOptions>(), Environment.GetEnvironmentVariable, Console.Out, Console.Error);
}

if (command == "token")
{
    var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
    return TokenCommand.Run(args[1..], configuration, environment, TimeProvider.System, Console.Out, Console.Error);
}

if (command is not ("migrate" or "logins" or "streams" or "all" or "delete-content"))
{
    Console.Error.WriteLine("usage: likes-admin [migrate|logins|streams|all|delete-content <contentId>]");
    Console.Error.WriteLine(AccessCommand.Usage);
    Console.Error.WriteLine(TokenCommand.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
try
{
    if (command is "migrate" or "all")
    {
        var result = Migrator.Apply(Bind<PostgresOptions>().ConnectionString, Console.Out);
        if (!result.Successful)
        {
            Console.Error.WriteLine($"migrate: failed: {result.Error?.Message}");
            return 1;
        }
    }

    if (command is "logins" or "all")
    {
        await PostgresLogins.ApplyAsync(Bind<PostgresOptions>().ConnectionString, i => Environment.GetEnvironmentVariable(i.PasswordVariable(Store.Postgres)), Console.Out, cancel.Token);
    }

    if (command is "streams" or "all" or "delete-content")
    {
        var nats = Bind<NatsOptions>();
        await using var connection = new NatsConnection(new NatsOpts
        {
            Url = nats.Url,
            Name = "likes-admin",
            AuthOpts = nats.User is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Username = nats.User, Password = nats.Password },
        });
        var js = new NatsJSContext(connection);
        if (command == "delete-content")
        {
            return await ContentDeletion.PublishAsync(js, Bind<StreamOptions>(), args.ElementAtOrDefault(1), Console.Out, Console.Error, cancel.Token);
        }

        await StreamProvisioner.EnsureAsync(js, Bind<StreamOptions>(), Bind<ConsumerOptions>(), Console.Out, cancel.Token);
    }

    return 0;
}
catch (Exception ex) when (ex is NatsException or Npgsql.NpgsqlException or OperationCanceledException)
{
    Console.Error.WriteLine($"{command}: failed: {ex.Message}");
    return 1;
}
