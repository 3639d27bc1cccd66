using Likes.Reconciler;
using Likes.Shared;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("reconciler");
builder.AddReconciler();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
