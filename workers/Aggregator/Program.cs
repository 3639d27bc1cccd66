using Likes.Aggregator;
using Likes.Shared;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("aggregator");
builder.AddAggregator();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
