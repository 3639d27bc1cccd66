using Likes.Edge;
using Likes.Shared;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("edge");
builder.AddEdge();

var app = builder.Build();
app.MapServiceDefaults();
app.MapEdge();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
