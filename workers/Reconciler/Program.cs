using Likes.Reconciler;
using Likes.Shared;

if (args.FirstOrDefault() == ReconcileCommand.Name)
{
    return await ReconcileCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("reconciler");
builder.AddReconciler();

var app = builder.Build();
app.MapServiceDefaults();

// The series exist from the first scrape, not from the first job run minutes later.
app.Services.GetRequiredService<ReconcilerMetrics>();
await app.RunAsync();
return 0;
