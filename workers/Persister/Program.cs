using Likes.Persister;
using Likes.Shared;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("persister");
builder.AddPersister();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
