from django.shortcuts import get_object_or_404, render

from networks.models import Network


def network_list(request):
    return render(request, "networks/network_list.html", {"networks": Network.objects.active()})


def network_detail(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    return render(request, "networks/network_detail.html", {"network": network})
