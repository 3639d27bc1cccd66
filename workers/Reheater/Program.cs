using Likes.Reheater;
using Likes.Shared;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("reheater");
builder.AddReheater();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
