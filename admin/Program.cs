using Likes.Admin;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Microsoft.Extensions.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;

// likes-admin: the one-shot operations a deployment runs before the daemons (the Helm pre-upgrade hook,
// `./likes up`): `migrate` applies the database migrations, `streams` provisions JetStream, `all` both.
var command = args.FirstOrDefault() ?? "all";
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddLikesEnvironment().Build();
T Bind<T>() where T : ISectionOptions, new()
{
    var o = new T();
    configuration.GetSection(T.SectionName).Bind(o);
    return o;
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

    if (command is not ("migrate" or "streams" or "all"))
    {
        Console.Error.WriteLine("usage: likes-admin [migrate|streams|all]");
        return 2;
    }

    return 0;
}
catch (Exception ex) when (ex is NatsException or Npgsql.NpgsqlException or OperationCanceledException)
{
    Console.Error.WriteLine($"{command}: failed: {ex.Message}");
    return 1;
}
