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
// permissions of every daemon (docs/security.md); `token` prints a development token for the local stack.
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

if (command is not ("migrate" or "logins" or "streams" or "all"))
{
    Console.Error.WriteLine("usage: likes-admin [migrate|logins|streams|all]");
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

    if (command is "streams" or "all")
    {
        var nats = Bind<NatsOptions>();
        await using var connection = new NatsConnection(new NatsOpts
        {
            Url = nats.Url,
            Name = "likes-admin",
            AuthOpts = nats.User is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Username = nats.User, Password = nats.Password },
        });
        await StreamProvisioner.EnsureAsync(new NatsJSContext(connection), Bind<StreamOptions>(), Bind<ConsumerOptions>(), Console.Out, cancel.Token);
    }

    return 0;
}
catch (Exception ex) when (ex is NatsException or Npgsql.NpgsqlException or OperationCanceledException)
{
    Console.Error.WriteLine($"{command}: failed: {ex.Message}");
    return 1;
}
